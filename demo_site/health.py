"""The demo site's health: it can sign people in only while its app client exists in its user pool with the
client secret this site holds. A restarted-empty AWS endpoint (no pool), a deleted app client or a changed
secret (provisioned again) makes it unhealthy: every sign-in would fail at Cognito's token endpoint."""

from __future__ import annotations

from functools import lru_cache

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings

from sandbox.aws import HEALTH_CHECK, own_client


@lru_cache(maxsize=1)
def _cognito():
    return own_client("cognito-idp", HEALTH_CHECK)


def problem() -> str:
    """Why this site cannot sign anyone in right now, in words; empty when it can."""
    pool, client_id = settings.COGNITO_USER_POOL_ID, settings.OIDC_RP_CLIENT_ID
    if not (pool and client_id):
        return "no user pool id or app client id configured"
    try:
        found = _cognito().describe_user_pool_client(UserPoolId=pool, ClientId=client_id)["UserPoolClient"]
    except ClientError as exc:
        error = exc.response.get("Error", {})
        return f"app client {client_id} of user pool {pool}: {error.get('Code')}: {error.get('Message')}"
    except BotoCoreError as exc:
        return f"the AWS API did not answer: {exc}"
    if found.get("ClientSecret", "") != settings.OIDC_RP_CLIENT_SECRET:
        return f"app client {client_id} has another client secret than the one this site holds"
    return ""
