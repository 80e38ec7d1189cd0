"""The mock Okta driven by Authlib, an independent OIDC client: discovery, code flow with PKCE, userinfo,
refresh, introspection, revocation, sessions and logout."""

from __future__ import annotations

import secrets

import requests
from joserfc import jwt
from joserfc.jwk import KeySet

from tests.mock_idp_helpers import (PUBLIC, authlib_session, code_flow, cognito_client, endpoint, issuer,
                                    okta, public_client, query, sign_in)  # noqa: F401 (okta: fixture)


def verified_claims(token: str) -> dict:
    """Verify with joserfc (Authlib's JOSE library) against the published JWKS: signature, iss, exp."""
    keys = KeySet.import_key_set(requests.get(endpoint("keys"), timeout=5).json())
    decoded = jwt.decode(token, keys, algorithms=["RS256"])
    jwt.JWTClaimsRegistry(iss={"essential": True, "value": issuer()}, exp={"essential": True}).validate(decoded.claims)
    return decoded.claims


def test_discovery_lists_every_endpoint_under_the_issuer_and_the_supported_values(okta):
    doc = requests.get(f"{issuer()}/.well-known/openid-configuration", timeout=5).json()
    assert doc["issuer"] == issuer()
    for key, path in {"authorization_endpoint": "authorize", "token_endpoint": "token", "jwks_uri": "keys",
                      "userinfo_endpoint": "userinfo", "end_session_endpoint": "logout",
                      "introspection_endpoint": "introspect", "revocation_endpoint": "revoke"}.items():
        assert doc[key] == endpoint(path)
    assert doc["response_types_supported"] == ["code"]
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    assert set(doc["grant_types_supported"]) == {"authorization_code", "refresh_token"}
    assert {"client_secret_basic", "client_secret_post", "none"} == set(doc["token_endpoint_auth_methods_supported"])
    assert {"openid", "profile", "email", "offline_access"} <= set(doc["scopes_supported"])


def test_every_advertised_endpoint_answers_at_its_url(okta):
    doc = requests.get(f"{issuer()}/.well-known/openid-configuration", timeout=5).json()
    assert requests.get(doc["jwks_uri"], timeout=5).status_code == 200
    assert requests.get(doc["userinfo_endpoint"], timeout=5).status_code == 401
    for key in ("token_endpoint", "introspection_endpoint", "revocation_endpoint"):
        assert requests.post(doc[key], data={}, timeout=5).status_code in (400, 401), key


def test_oauth_authorization_server_metadata_matches_the_openid_configuration(okta):
    oauth = requests.get(f"{issuer()}/.well-known/oauth-authorization-server", timeout=5).json()
    oidc = requests.get(f"{issuer()}/.well-known/openid-configuration", timeout=5).json()
    for key in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri", "introspection_endpoint",
                "revocation_endpoint", "end_session_endpoint"):
        assert oauth[key] == oidc[key]
    assert "cid" in oauth["claims_supported"] and "scp" in oauth["claims_supported"]


def test_keys_are_rs256_public_keys_with_a_kid_and_no_private_parts(okta):
    keys = requests.get(endpoint("keys"), timeout=5).json()["keys"]
    assert keys and all(k["kty"] == "RSA" and k["alg"] == "RS256" and k["use"] == "sig" and k["kid"] for k in keys)
    assert not any({"d", "p", "q", "dp", "dq", "qi"} & set(k) for k in keys)


def test_code_flow_with_pkce_gives_okta_shaped_id_and_access_tokens(okta):
    session, token = code_flow(cognito_client())
    assert token["token_type"] == "Bearer" and token["expires_in"] == 3600
    assert "refresh_token" not in token  # no offline_access asked
    id_claims = verified_claims(token["id_token"])
    assert id_claims["sub"] == "00u1Alice0Sandbox0X7" and id_claims["aud"] == cognito_client()["client_id"]
    assert id_claims["ver"] == 1 and id_claims["jti"].startswith("ID.") and id_claims["amr"] == ["pwd"]
    assert id_claims["email"] == "alice@example.com" and id_claims["name"] == "Alice Anderson"
    assert id_claims["preferred_username"] == "alice@example.com"
    assert {"nonce", "at_hash", "auth_time", "idp", "iat", "exp"} <= set(id_claims)
    # Okta's code-flow ID token is thin: the names come from /v1/userinfo.
    assert "given_name" not in id_claims and "family_name" not in id_claims
    access = verified_claims(token["access_token"])
    assert access["aud"] == "api://default" and access["jti"].startswith("AT.") and access["ver"] == 1
    assert access["cid"] == cognito_client()["client_id"] and access["uid"] == "00u1Alice0Sandbox0X7"
    assert access["sub"] == "alice@example.com" and access["scp"] == ["openid", "email", "profile"]


def test_id_token_nonce_is_the_one_sent_in_the_authorize_request(okta):
    c = cognito_client()
    session = authlib_session(c)
    verifier, nonce = secrets.token_urlsafe(48), secrets.token_urlsafe(16)
    url, state = session.create_authorization_url(endpoint("authorize"), code_verifier=verifier, nonce=nonce)
    back = sign_in(requests.Session(), url)
    token = session.fetch_token(endpoint("token"), authorization_response=back.headers["Location"],
                                code_verifier=verifier)
    assert verified_claims(token["id_token"])["nonce"] == nonce
    assert query(back.headers["Location"])["state"] == state


def test_confidential_client_may_authenticate_with_client_secret_post(okta):
    _, token = code_flow(cognito_client(), auth_method="client_secret_post")
    assert token["access_token"]


def test_public_client_exchanges_its_code_with_pkce_and_no_secret(okta):
    _, token = code_flow(public_client())
    assert verified_claims(token["id_token"])["aud"] == PUBLIC


def test_userinfo_gives_names_with_profile_and_email_with_email_scope(okta):
    session, _ = code_flow(cognito_client())
    info = session.get(endpoint("userinfo"), timeout=5)
    assert info.status_code == 200
    assert info.json()["sub"] == "00u1Alice0Sandbox0X7"
    assert info.json()["given_name"] == "Alice" and info.json()["family_name"] == "Anderson"
    assert info.json()["email"] == "alice@example.com" and info.json()["email_verified"] is True


def test_userinfo_without_profile_or_email_scope_gives_only_sub(okta):
    session, _ = code_flow(cognito_client(), username="bob@example.com", scope="openid")
    assert session.get(endpoint("userinfo"), timeout=5).json() == {"sub": "00u1Bob00Sandbox00X7"}


def test_offline_access_gives_a_refresh_token_that_refreshes_tokens(okta):
    session, token = code_flow(cognito_client(), scope="openid profile offline_access")
    assert token["refresh_token"]
    refreshed = session.refresh_token(endpoint("token"), refresh_token=token["refresh_token"])
    assert refreshed["access_token"] != token["access_token"]
    claims = verified_claims(refreshed["id_token"])
    assert claims["sub"] == "00u1Alice0Sandbox0X7" and "nonce" not in claims


def test_introspection_reports_active_tokens_and_revocation_makes_them_inactive(okta):
    session, token = code_flow(cognito_client(), scope="openid email offline_access")
    for kind in ("access_token", "refresh_token"):
        active = session.introspect_token(endpoint("introspect"), token=token[kind], token_type_hint=kind)
        assert active.status_code == 200 and active.json()["active"] is True, kind
        assert active.json()["client_id"] == cognito_client()["client_id"]
        assert active.json()["username"] == "alice@example.com"
        revoked = session.revoke_token(endpoint("revoke"), token=token[kind], token_type_hint=kind)
        assert revoked.status_code == 200 and revoked.text == ""
        assert session.introspect_token(endpoint("introspect"), token=token[kind]).json() == {"active": False}
    assert session.get(endpoint("userinfo"), timeout=5).status_code == 401


def test_introspecting_an_unknown_token_is_inactive_not_an_error(okta):
    session = authlib_session(cognito_client())
    response = session.introspect_token(endpoint("introspect"), token="not-a-token")
    assert response.status_code == 200 and response.json() == {"active": False}


def test_an_okta_session_skips_the_form_and_prompt_login_forces_it(okta):
    c = cognito_client()
    browser = requests.Session()
    session = authlib_session(c)
    url, _ = session.create_authorization_url(endpoint("authorize"), code_verifier=secrets.token_urlsafe(48),
                                              nonce="n")
    assert sign_in(browser, url).status_code == 302
    assert any(cookie.name == "okta_sid" for cookie in browser.cookies)
    again, state = session.create_authorization_url(endpoint("authorize"), code_verifier=secrets.token_urlsafe(48),
                                                    nonce="n")
    skipped = browser.get(again, allow_redirects=False, timeout=5)
    assert skipped.status_code == 302 and query(skipped.headers["Location"])["state"] == state
    assert "code" in query(skipped.headers["Location"])
    forced = browser.get(again + "&prompt=login", allow_redirects=False, timeout=5)
    assert forced.status_code == 200 and 'name="password"' in forced.text
    silent = browser.get(again + "&prompt=none", allow_redirects=False, timeout=5)
    assert silent.status_code == 302 and "code" in query(silent.headers["Location"])


def test_logout_ends_the_okta_session_and_returns_to_a_registered_uri(okta):
    c = cognito_client()
    browser = requests.Session()
    session = authlib_session(c)
    verifier = secrets.token_urlsafe(48)
    url, _ = session.create_authorization_url(endpoint("authorize"), code_verifier=verifier, nonce="n")
    back = sign_in(browser, url)
    token = session.fetch_token(endpoint("token"), authorization_response=back.headers["Location"],
                                code_verifier=verifier)
    target = c["post_logout_redirect_uris"][0]
    out = browser.get(endpoint("logout"), params={"id_token_hint": token["id_token"], "state": "bye",
                                                  "post_logout_redirect_uri": target},
                      allow_redirects=False, timeout=5)
    assert out.status_code == 302 and out.headers["Location"] == target + "?state=bye"
    silent = browser.get(url + "&prompt=none", allow_redirects=False, timeout=5)
    assert query(silent.headers["Location"])["error"] == "login_required"
