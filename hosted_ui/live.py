"""The pool's configuration, read through the AWS API at request time: a change made with boto3 or the
AWS CLI applies on the next request."""

from __future__ import annotations

from dataclasses import dataclass

from botocore.exceptions import ClientError

from hosted_ui.aws import cognito
from hosted_ui.errors import ErrorPage
from hosted_ui.settings import settings

# Cognito's defaults when a client sets no validity (app-client docs): 60 minutes, 60 minutes, 30 days.
DEFAULT_VALIDITY = {"AccessToken": (60, "minutes"), "IdToken": (60, "minutes"), "RefreshToken": (30, "days")}
UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}


def _not_found(exc: ClientError) -> bool:
    return exc.response["Error"]["Code"] in ("ResourceNotFoundException", "UserNotFoundException")


def pool_id() -> str:
    """The pool of this hosted UI's domain."""
    found = cognito().describe_user_pool_domain(Domain=settings().domain).get("DomainDescription", {})
    if not found.get("UserPoolId"):
        raise ErrorPage("The user pool domain does not exist.", status=404)
    return found["UserPoolId"]


def pool(pool_id_: str) -> dict:
    return cognito().describe_user_pool(UserPoolId=pool_id_)["UserPool"]


def app_client(pool_id_: str, client_id: str) -> dict | None:
    if not client_id:
        return None
    try:
        return cognito().describe_user_pool_client(UserPoolId=pool_id_, ClientId=client_id)["UserPoolClient"]
    except ClientError as exc:
        if _not_found(exc) or exc.response["Error"]["Code"] == "InvalidParameterException":
            return None
        raise


def identity_provider(pool_id_: str, name: str) -> dict | None:
    try:
        return cognito().describe_identity_provider(UserPoolId=pool_id_, ProviderName=name)["IdentityProvider"]
    except ClientError as exc:
        if _not_found(exc):
            return None
        raise


@dataclass(frozen=True)
class User:
    username: str
    status: str
    enabled: bool
    attributes: dict[str, str]

    @property
    def sub(self) -> str:
        return self.attributes["sub"]


def user(pool_id_: str, username: str) -> User | None:
    try:
        found = cognito().admin_get_user(UserPoolId=pool_id_, Username=username)
    except ClientError as exc:
        if _not_found(exc):
            return None
        raise
    return User(found["Username"], found["UserStatus"], found.get("Enabled", True),
                {a["Name"]: a["Value"] for a in found.get("UserAttributes", [])})


def groups(pool_id_: str, username: str) -> list[str]:
    found = cognito().admin_list_groups_for_user(UserPoolId=pool_id_, Username=username).get("Groups", [])
    return sorted(g["GroupName"] for g in found)


def validity_seconds(client: dict, token: str) -> int:
    """A token's lifetime from the client's validity settings (the units default as Cognito's do)."""
    default_value, default_unit = DEFAULT_VALIDITY[token]
    value = client.get(f"{token}Validity") or default_value
    unit = (client.get("TokenValidityUnits") or {}).get(token) or (
        default_unit if not client.get(f"{token}Validity") else {"RefreshToken": "days"}.get(token, "hours"))
    return int(value) * UNIT_SECONDS[unit]
