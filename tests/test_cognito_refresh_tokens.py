"""Refresh tokens as Cognito issues them: opaque and JWE-shaped, and rotated when the app client has
refresh-token rotation (RefreshTokenRotationType), the old one valid for the grace period only."""

from __future__ import annotations

import base64
import json
import uuid
from contextlib import contextmanager

import jwt
import pytest
import requests

from sandbox.aws import client
from sandbox.config import settings
from tests.functions_cognito.browser import Browser, exchange, new_okta_user


def token_endpoint(app: dict, **data) -> requests.Response:
    return requests.post(f"{settings().cognito_hosted_ui_url}/oauth2/token", data=data, timeout=30,
                         auth=(app["ClientId"], app["ClientSecret"]))


@contextmanager
def app_client(resources, **config):
    idp = client("cognito-idp")
    made = idp.create_user_pool_client(
        UserPoolId=resources.user_pool_id, ClientName=f"refresh-{uuid.uuid4().hex[:6]}", GenerateSecret=True,
        AllowedOAuthFlows=["code"], AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthScopes=["openid", "email"],
        CallbackURLs=[f"{settings().demo_site_url}/oidc/callback/"], SupportedIdentityProviders=["Okta"],
        EnableTokenRevocation=True, **config)["UserPoolClient"]
    try:
        yield made
    finally:
        idp.delete_user_pool_client(UserPoolId=resources.user_pool_id, ClientId=made["ClientId"])


def first_tokens(resources, app: dict) -> dict:
    answer = Browser().sign_in(resources, new_okta_user("Rob", "Refresh"), client_id=app["ClientId"],
                               scope="openid email")
    response = token_endpoint(app, grant_type="authorization_code", code=answer["code"],
                              redirect_uri=f"{settings().demo_site_url}/oidc/callback/")
    assert response.status_code == 200, response.text
    return response.json()


def test_a_refresh_token_is_opaque_and_shaped_as_a_jwe(resources):
    # Five dot-separated base64url parts with Cognito's JWE header (public fixtures of real refresh tokens).
    answer = Browser().sign_in(resources, new_okta_user("Ria", "Shape"))
    token = exchange(resources, answer["code"]).json()["refresh_token"]
    parts = token.split(".")
    assert len(parts) == 5 and all(parts)
    header = json.loads(base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4)))
    assert header == {"cty": "JWT", "enc": "A256GCM", "alg": "RSA-OAEP"}
    with pytest.raises(jwt.PyJWTError):
        jwt.decode(token, options={"verify_signature": False})


def test_without_rotation_a_refresh_gives_no_new_refresh_token(resources):
    with app_client(resources) as app:
        tokens = first_tokens(resources, app)
        body = token_endpoint(app, grant_type="refresh_token", refresh_token=tokens["refresh_token"]).json()
        assert set(body) == {"id_token", "access_token", "expires_in", "token_type"}
        assert token_endpoint(app, grant_type="refresh_token",
                              refresh_token=tokens["refresh_token"]).status_code == 200


def test_with_rotation_and_no_grace_period_the_old_refresh_token_stops_at_once(resources):
    # "When RetryGracePeriodSeconds is 0, the grace period is disabled and a successful request immediately
    # invalidates the submitted refresh token."
    with app_client(resources, RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 0}) as app:
        tokens = first_tokens(resources, app)
        body = token_endpoint(app, grant_type="refresh_token", refresh_token=tokens["refresh_token"]).json()
        assert set(body) == {"id_token", "access_token", "refresh_token", "expires_in", "token_type"}
        assert body["refresh_token"] != tokens["refresh_token"] and len(body["refresh_token"].split(".")) == 5
        old = token_endpoint(app, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
        assert (old.status_code, old.json()) == (400, {"error": "invalid_grant"})
        assert token_endpoint(app, grant_type="refresh_token", refresh_token=body["refresh_token"]).status_code == 200


def test_with_rotation_the_old_refresh_token_still_works_within_the_grace_period(resources):
    # "the original refresh token that you're rotating out can remain valid for a period of time of up to 60
    # seconds. This allows for client-side retries."
    with app_client(resources, RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 60}) as app:
        tokens = first_tokens(resources, app)
        first = token_endpoint(app, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
        retry = token_endpoint(app, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
        assert first.status_code == retry.status_code == 200
        assert first.json()["refresh_token"] != retry.json()["refresh_token"]
