"""/oauth2/userInfo as AWS documents it (docs.aws.amazon.com/cognito/latest/developerguide/
userinfo-endpoint.html): which attributes each scope returns, and the only two error answers."""

from __future__ import annotations

import json
import time
import uuid

import pytest
import requests

from sandbox.config import settings
from tests.functions_cognito.browser import Browser, exchange, new_okta_user, ui

BAD_REQUEST = 'Bearer error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint"'
INVALID_TOKEN = ('Bearer error="invalid_token", error_description="Access token is expired, disabled, or deleted, '
                 'or the user has globally signed out."')


def access_token(resources, scope: str):
    okta = new_okta_user("Uma", "Info")
    answer = Browser().sign_in(resources, okta, scope=scope)
    response = exchange(resources, answer["code"])
    assert response.status_code == 200, response.text
    return okta, response.json()["access_token"]


def userinfo(token_header: str | None) -> requests.Response:
    headers = {"Authorization": token_header} if token_header is not None else {}
    return requests.get(ui("/oauth2/userInfo"), headers=headers, timeout=10)


def test_an_openid_only_token_gets_every_attribute_the_client_can_read(resources):
    okta, token = access_token(resources, "openid")
    info = userinfo(f"Bearer {token}")
    assert info.status_code == 200
    body = info.json()
    assert body["username"] == okta.username and uuid.UUID(body["sub"])
    assert (body["email"], body["given_name"], body["family_name"]) == (okta.email, "Uma", "Info")
    assert json.loads(body["identities"])[0]["userId"] == okta.id


def test_an_openid_email_token_gets_the_basic_profile_and_email_but_no_names(resources):
    okta, token = access_token(resources, "openid email")
    body = userinfo(f"Bearer {token}").json()
    assert body["email"] == okta.email and body["username"] == okta.username and "sub" in body
    assert "given_name" not in body and "family_name" not in body
    assert set(body) <= {"sub", "username", "identities", "email", "email_verified"}


def test_an_openid_profile_token_gets_the_names_but_not_the_email(resources):
    okta, token = access_token(resources, "openid profile")
    body = userinfo(f"Bearer {token}").json()
    assert (body["given_name"], body["family_name"]) == ("Uma", "Info")
    assert "email" not in body


def test_the_bearer_scheme_is_case_insensitive(resources):
    _, token = access_token(resources, "openid")
    for scheme in ("bearer", "BEARER", "bEaReR"):
        info = userinfo(f"{scheme} {token}")
        assert info.status_code == 200, (scheme, info.headers.get("WWW-Authenticate"))


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer ", "Basic abc", "Token abc", "Bearer a b"])
def test_a_missing_or_malformed_authorization_header_is_cognitos_one_bad_request_answer(sandbox, header):
    info = userinfo(header)
    assert info.status_code == 400
    assert info.headers["WWW-Authenticate"] == BAD_REQUEST
    assert info.json() == {"error": "invalid_request", "error_description": "Bad OAuth2 request at UserInfo Endpoint"}


def _signed(resources, **claims) -> str:
    now = int(time.time())
    base = {"sub": str(uuid.uuid4()), "token_use": "access", "scope": "openid", "iss": resources.issuer,
            "iat": now, "exp": now + 600, "username": "nobody"}
    response = requests.post(f"{settings().aws_endpoint_url}/_sandbox/cognito-idp/{resources.user_pool_id}/sign",
                             json={"token_use": "access", "claims": {**base, **claims}}, timeout=10)
    return response.json()["token"]


@pytest.mark.parametrize("case", ["garbage", "expired", "unknown user", "id token"])
def test_every_bad_token_gets_cognitos_one_invalid_token_answer(resources, case):
    now = int(time.time())
    token = {
        "garbage": lambda: "a.b.c",
        "expired": lambda: _signed(resources, iat=now - 7200, exp=now - 3600),
        "unknown user": lambda: _signed(resources),
        "id token": lambda: _signed(resources, token_use="id"),
    }[case]()
    info = userinfo(f"Bearer {token}")
    assert info.status_code == 401
    assert info.headers["WWW-Authenticate"] == INVALID_TOKEN
    assert info.json()["error"] == "invalid_token"
