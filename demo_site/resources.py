"""Fill in the Cognito ids and the API URL the environment left empty, by finding them by name through
the AWS API (read-only: list and describe calls through boto3, so it works against real AWS too)."""

from __future__ import annotations

import threading
from types import SimpleNamespace

from botocore.exceptions import BotoCoreError, ClientError
from django.core.exceptions import ImproperlyConfigured

from sandbox.aws import client
from sandbox.aws_urls import api_invoke_url, cognito_issuer
from sandbox.config import seed
from sandbox.config import settings as sandbox_settings
from sandbox.provision import find_rest_api, find_user_pool, names


def find_app_client(pool_id: str, client_name: str) -> dict:
    idp = client("cognito-idp")
    for page in idp.get_paginator("list_user_pool_clients").paginate(UserPoolId=pool_id, MaxResults=60):
        for found in page["UserPoolClients"]:
            if found["ClientName"] == client_name:
                return idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=found["ClientId"])["UserPoolClient"]
    raise ImproperlyConfigured(f"no app client named {client_name!r} in user pool {pool_id}: "
                               "set OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET, or run `python manage.py provision`")


# What resolve_missing finds when the environment leaves it empty, and what follows from it.
RESOLVED = ("COGNITO_USER_POOL_ID", "OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET", "API_URL",
            "COGNITO_ISSUER", "OIDC_OP_JWKS_ENDPOINT", "API_BACKCHANNEL_URL")
_lock = threading.Lock()


def resolve_missing(conf) -> None:
    """Set the empty COGNITO_USER_POOL_ID, OIDC_RP_CLIENT_ID/SECRET, API_URL and the derived issuer and
    JWKS URL on `conf` (django.conf.settings), once, before the first request."""
    if not hasattr(conf, "SANDBOX_FOUND"):
        conf.SANDBOX_FOUND = tuple(name for name in RESOLVED if not getattr(conf, name))
    n = names()
    if not conf.COGNITO_USER_POOL_ID:
        pool = find_user_pool(n["pool"])
        if pool is None:
            raise ImproperlyConfigured(f"no Cognito user pool named {n['pool']!r}: set COGNITO_USER_POOL_ID, "
                                       "or run `python manage.py provision`")
        conf.COGNITO_USER_POOL_ID = pool["Id"]
    if not (conf.OIDC_RP_CLIENT_ID and conf.OIDC_RP_CLIENT_SECRET):
        app_client = find_app_client(conf.COGNITO_USER_POOL_ID, conf.COGNITO_APP_CLIENT_NAME)
        conf.OIDC_RP_CLIENT_ID = app_client["ClientId"]
        conf.OIDC_RP_CLIENT_SECRET = app_client.get("ClientSecret", "")
    if not conf.API_URL:
        api = find_rest_api(n["api"])
        if api is None:
            raise ImproperlyConfigured(f"no REST API named {n['api']!r}: set API_URL, or run `python manage.py provision`")
        conf.API_URL = api_invoke_url(api["id"], n["stage"])
    fill_derived(conf)


def adopt(conf, resources: dict) -> None:
    """Take what resolve_missing would find from what provisioning made or found in this run by the same
    names (provision.Resources as a dict: the pool and the API by provision.names(), the seed's app
    client), so the sandbox command's demo part starts without those calls: only what the environment
    left empty, the app client only when this site names the provisioned one in the provisioned pool.
    resolve_missing, run after it, finds the rest and derives the issuer and URLs."""
    if not hasattr(conf, "SANDBOX_FOUND"):
        conf.SANDBOX_FOUND = tuple(name for name in RESOLVED if not getattr(conf, name))
    if not conf.COGNITO_USER_POOL_ID:
        conf.COGNITO_USER_POOL_ID = resources["user_pool_id"]
    if (not (conf.OIDC_RP_CLIENT_ID and conf.OIDC_RP_CLIENT_SECRET)
            and conf.COGNITO_USER_POOL_ID == resources["user_pool_id"]
            and conf.COGNITO_APP_CLIENT_NAME == seed()["cognito"]["app_client"]["name"]):
        conf.OIDC_RP_CLIENT_ID, conf.OIDC_RP_CLIENT_SECRET = resources["client_id"], resources["client_secret"]
    if not conf.API_URL:  # from the ids and this process's settings (the saved URL may name another host)
        conf.API_URL = api_invoke_url(resources["api_id"], resources["api_stage"])


def resolve_again(conf) -> bool:
    """Find again what resolve_missing found (never what the environment set), because an AWS answer said
    it changed: the token endpoint refused the client's secret (provisioning made the client anew: same
    id, a new secret), or the API's route or stage is gone. True when anything changed."""
    found = getattr(conf, "SANDBOX_FOUND", ())
    if not found:
        return False
    with _lock:
        scratch = SimpleNamespace(COGNITO_APP_CLIENT_NAME=conf.COGNITO_APP_CLIENT_NAME,
                                  **{name: "" if name in found else getattr(conf, name) for name in RESOLVED})
        try:
            resolve_missing(scratch)
        except (ImproperlyConfigured, ClientError, BotoCoreError):
            return False
        changed = [name for name in found if getattr(scratch, name) != getattr(conf, name)]
        for name in changed:
            setattr(conf, name, getattr(scratch, name))
    return bool(changed)


def fill_derived(conf) -> None:
    """The settings that follow from the pool id and the API URL, when not set explicitly."""
    s = sandbox_settings()
    if not conf.COGNITO_ISSUER and conf.COGNITO_USER_POOL_ID:
        conf.COGNITO_ISSUER = cognito_issuer(conf.COGNITO_USER_POOL_ID)
    if not conf.OIDC_OP_JWKS_ENDPOINT and conf.COGNITO_ISSUER:
        # The issuer is a front-channel URL (it must match `iss`); the key set is fetched on the back channel.
        conf.OIDC_OP_JWKS_ENDPOINT = s.backchannel(conf.COGNITO_ISSUER) + "/.well-known/jwks.json"
    if not conf.API_BACKCHANNEL_URL and conf.API_URL:
        conf.API_BACKCHANNEL_URL = s.backchannel(conf.API_URL)
