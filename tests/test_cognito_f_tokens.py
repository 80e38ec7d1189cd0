"""Seed step f and after: the token endpoint's grants, the tokens' claims, userInfo, revocation, logout."""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from urllib.parse import urlencode

import jwt
import pytest
import requests

from sandbox.config import settings
from tests.functions_cognito.browser import Browser, exchange, new_okta_user, pkce_pair, ui


@pytest.fixture(scope="module")
def jwks(resources):
    return jwt.PyJWKClient(f"{resources.issuer}/.well-known/jwks.json")


def verify(jwks, token: str, **options) -> dict:
    return jwt.decode(token, jwks.get_signing_key_from_jwt(token).key, algorithms=["RS256"],
                      options={"verify_aud": False}, **options)


def signed_in(resources, **params):
    okta = new_okta_user("Tara", "Token")
    answer = Browser().sign_in(resources, okta, **params)
    return okta, answer


def assert_oauth_error(response: requests.Response, error: str):
    assert response.status_code == 400
    assert response.json() == {"error": error}
    assert response.headers["Cache-Control"] == "no-cache, no-store, max-age=0, must-revalidate"


def test_the_code_buys_id_access_and_refresh_tokens_as_cognito_mints_them(resources, jwks):
    okta, answer = signed_in(resources, nonce="nonce-123", scope="openid email profile sandbox-api/profile.read")
    response = exchange(resources, answer["code"])
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"id_token", "access_token", "refresh_token", "expires_in", "token_type"}
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    id_claims = verify(jwks, body["id_token"], audience=resources.client_id, issuer=resources.issuer)
    access = verify(jwks, body["access_token"], issuer=resources.issuer)
    assert jwt.get_unverified_header(body["id_token"])["kid"] != jwt.get_unverified_header(body["access_token"])["kid"]
    assert uuid.UUID(id_claims["sub"]) and id_claims["sub"] == access["sub"]
    assert id_claims["token_use"] == "id" and id_claims["aud"] == resources.client_id
    assert id_claims["nonce"] == "nonce-123"
    assert id_claims["cognito:username"] == access["username"] == okta.username
    assert (id_claims["email"], id_claims["given_name"], id_claims["family_name"]) == (okta.email, "Tara", "Token")
    [identity] = id_claims["identities"]
    assert identity["userId"] == okta.id and identity["primary"] == "true"
    for claim in ("auth_time", "iat", "exp", "jti", "origin_jti", "event_id"):
        assert claim in id_claims and claim in access
    assert id_claims["exp"] - id_claims["iat"] == 3600
    assert access["token_use"] == "access" and access["client_id"] == resources.client_id
    assert "aud" not in access and access["version"] == 2
    assert access["scope"].split() == ["openid", "email", "profile", "sandbox-api/profile.read"]


def test_a_code_is_single_use(resources):
    _, answer = signed_in(resources)
    assert exchange(resources, answer["code"]).status_code == 200
    assert_oauth_error(exchange(resources, answer["code"]), "invalid_grant")


def test_a_code_needs_the_same_redirect_uri(resources):
    _, answer = signed_in(resources)
    assert_oauth_error(exchange(resources, answer["code"], redirect_uri="http://localhost:1/other"), "invalid_grant")


def test_pkce_s256_verifier_must_match_the_challenge(resources):
    verifier, challenge = pkce_pair()
    _, answer = signed_in(resources, code_challenge=challenge, code_challenge_method="S256")
    assert_oauth_error(exchange(resources, answer["code"], verifier="x" * 50), "invalid_grant")
    _, answer = signed_in(resources, code_challenge=challenge, code_challenge_method="S256")
    assert exchange(resources, answer["code"], verifier=verifier).status_code == 200


@pytest.mark.parametrize("verifier", ["a" * 42 + "!", "a" * 42, "b" * 129, "c" * 42 + " ", "d" * 42 + "é"],
                         ids=["bad-char", "too-short", "too-long", "space", "non-ascii"])
def test_a_malformed_pkce_verifier_is_invalid_grant_even_when_its_hash_matches(resources, verifier):
    # RFC 7636 §4.1: 43-128 characters of [A-Za-z0-9-._~]; the challenge here is that verifier's own S256.
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    _, answer = signed_in(resources, code_challenge=challenge, code_challenge_method="S256")
    assert_oauth_error(exchange(resources, answer["code"], verifier=verifier), "invalid_grant")


def test_pkce_verifiers_of_43_and_128_unreserved_characters_are_accepted(resources):
    for verifier in ("A-._~" + "z" * 38, "0" * 128):
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        _, answer = signed_in(resources, code_challenge=challenge, code_challenge_method="S256")
        assert exchange(resources, answer["code"], verifier=verifier).status_code == 200


def test_a_wrong_client_secret_is_invalid_client(resources):
    _, answer = signed_in(resources)
    response = requests.post(ui("/oauth2/token"), timeout=10, auth=(resources.client_id, "wrong"),
                             data={"grant_type": "authorization_code", "code": answer["code"],
                                   "redirect_uri": f"{settings().demo_site_url}/oidc/callback/"})
    assert_oauth_error(response, "invalid_client")


def test_client_secret_post_is_accepted(resources):
    _, answer = signed_in(resources)
    response = requests.post(ui("/oauth2/token"), timeout=10, data={
        "grant_type": "authorization_code", "code": answer["code"], "client_id": resources.client_id,
        "client_secret": resources.client_secret, "redirect_uri": f"{settings().demo_site_url}/oidc/callback/"})
    assert response.status_code == 200


@pytest.mark.parametrize("grant_type, error", [(None, "invalid_request"), ("password", "unsupported_grant_type")])
def test_a_missing_or_unknown_grant_type_is_refused(resources, grant_type, error):
    data = {"grant_type": grant_type} if grant_type else {}
    response = requests.post(ui("/oauth2/token"), data=data, timeout=10,
                             auth=(resources.client_id, resources.client_secret))
    assert_oauth_error(response, error)


def test_refresh_gives_new_tokens_until_the_refresh_token_is_revoked(resources, jwks):
    _, answer = signed_in(resources)
    first = exchange(resources, answer["code"]).json()
    auth = (resources.client_id, resources.client_secret)
    refreshed = requests.post(ui("/oauth2/token"), auth=auth, timeout=10,
                              data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]})
    assert refreshed.status_code == 200
    assert set(refreshed.json()) == {"id_token", "access_token", "expires_in", "token_type"}
    new_access = verify(jwks, refreshed.json()["access_token"])
    assert new_access["origin_jti"] == verify(jwks, first["access_token"])["origin_jti"]

    revoked = requests.post(ui("/oauth2/revoke"), auth=auth, data={"token": first["refresh_token"]}, timeout=10)
    assert revoked.status_code == 200
    again = requests.post(ui("/oauth2/token"), auth=auth, timeout=10,
                          data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]})
    assert_oauth_error(again, "invalid_grant")
    info = requests.get(ui("/oauth2/userInfo"), headers={"Authorization": f"Bearer {first['access_token']}"},
                        timeout=10)
    assert info.status_code == 401 and 'error="invalid_token"' in info.headers["WWW-Authenticate"]


def test_client_credentials_gives_the_machine_client_a_scoped_access_token(resources, jwks):
    response = requests.post(ui("/oauth2/token"), auth=(resources.machine_client_id, resources.machine_client_secret),
                             data={"grant_type": "client_credentials"}, timeout=10)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "expires_in", "token_type"}
    claims = verify(jwks, body["access_token"])
    assert claims["sub"] == claims["client_id"] == resources.machine_client_id
    assert claims["scope"] == "sandbox-api/profile.read" and claims["token_use"] == "access"


def test_client_credentials_outside_the_clients_scopes_is_invalid_scope(resources):
    response = requests.post(ui("/oauth2/token"), auth=(resources.machine_client_id, resources.machine_client_secret),
                             data={"grant_type": "client_credentials", "scope": "sandbox-api/admin.read"}, timeout=10)
    assert_oauth_error(response, "invalid_scope")


def test_client_credentials_for_a_code_flow_client_is_unauthorized_client(resources):
    response = requests.post(ui("/oauth2/token"), auth=(resources.client_id, resources.client_secret),
                             data={"grant_type": "client_credentials"}, timeout=10)
    assert_oauth_error(response, "unauthorized_client")


def test_userinfo_returns_the_users_attributes_for_the_access_token(resources):
    okta, answer = signed_in(resources)
    access = exchange(resources, answer["code"]).json()["access_token"]
    info = requests.get(ui("/oauth2/userInfo"), headers={"Authorization": f"Bearer {access}"}, timeout=10)
    assert info.status_code == 200
    body = info.json()
    assert body["username"] == okta.username and body["email"] == okta.email
    assert body["given_name"] == "Tara" and json.loads(body["identities"])[0]["userId"] == okta.id


def test_userinfo_without_a_token_is_invalid_request(sandbox):
    info = requests.get(ui("/oauth2/userInfo"), timeout=10)
    assert info.status_code == 400
    assert info.headers["WWW-Authenticate"] == \
        'Bearer error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint"'


def test_userinfo_with_an_expired_token_is_invalid_token(resources):
    now = int(time.time())
    token = requests.post(f"{settings().aws_endpoint_url}/_sandbox/cognito-idp/{resources.user_pool_id}/sign",
                          json={"token_use": "access", "claims": {
                              "sub": str(uuid.uuid4()), "token_use": "access", "scope": "openid",
                              "iss": resources.issuer, "iat": now - 7200, "exp": now - 3600, "username": "x"}},
                          timeout=10).json()["token"]
    info = requests.get(ui("/oauth2/userInfo"), headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert info.status_code == 401
    assert info.headers["WWW-Authenticate"] == (
        'Bearer error="invalid_token", error_description="Access token is expired, disabled, or deleted, '
        'or the user has globally signed out."')


def test_userinfo_refuses_an_id_token(resources):
    _, answer = signed_in(resources)
    id_token = exchange(resources, answer["code"]).json()["id_token"]
    info = requests.get(ui("/oauth2/userInfo"), headers={"Authorization": f"Bearer {id_token}"}, timeout=10)
    assert info.status_code == 401 and 'error="invalid_token"' in info.headers["WWW-Authenticate"]


def test_logout_to_a_registered_uri_clears_the_session_and_redirects(resources):
    logout_uri = f"{settings().demo_site_url}/"
    response = requests.get(ui("/logout?" + urlencode({"client_id": resources.client_id, "logout_uri": logout_uri})),
                            allow_redirects=False, timeout=10)
    assert response.status_code == 302 and response.headers["Location"] == logout_uri
    assert 'cognito_session=;' in response.headers["Set-Cookie"]


def test_logout_to_an_unregistered_uri_is_sent_to_cognitos_error_page_never_to_the_uri(resources):
    # A capture: /error?client_id=<id>&logout_uri=<uri>, no `error` parameter, the page a 400.
    response = requests.get(ui("/logout?" + urlencode({"client_id": resources.client_id,
                                                       "logout_uri": "https://evil.example/"})),
                            allow_redirects=False, timeout=10)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == ui("/error?" + urlencode({"client_id": resources.client_id,
                                                  "logout_uri": "https://evil.example/"}))
    page = requests.get(location, allow_redirects=False, timeout=10)
    assert page.status_code == 400 and "An error was encountered with the requested page." in page.text


def test_logout_for_an_unknown_client_is_sent_to_cognitos_error_page(resources):
    response = requests.get(ui("/logout?" + urlencode({"client_id": "nope", "logout_uri": f"{settings().demo_site_url}/"})),
                            allow_redirects=False, timeout=10)
    assert response.status_code == 302
    assert response.headers["Location"] == ui("/error?error=invalid_request&client_id=nope")


def test_a_signed_in_browser_gets_a_code_without_okta_until_it_logs_out(resources):
    okta = new_okta_user()
    browser = Browser()
    browser.sign_in(resources, okta)
    seen = len(browser.visited)
    again = browser.sign_in(resources, okta, identity_provider=None)
    assert "code" in again and browser.visited[seen:] == []
    browser.http.get(ui("/logout?" + urlencode({"client_id": resources.client_id,
                                                "logout_uri": f"{settings().demo_site_url}/"})),
                     allow_redirects=False, timeout=10)
    login = browser.http.get(ui("/oauth2/authorize?" + urlencode({
        "response_type": "code", "client_id": resources.client_id,
        "redirect_uri": f"{settings().demo_site_url}/oidc/callback/"})), allow_redirects=False, timeout=10)
    assert login.headers["Location"].startswith(ui("/login?"))
