"""/v1/token, /v1/userinfo, /v1/introspect and /v1/revoke refusing what Okta refuses, with Okta's errors."""

from __future__ import annotations

import base64
import secrets

import jwt
import pytest
import requests

from tests.mock_idp_helpers import (COGNITO, authlib_session, authorize_params, code_flow, cognito_client,  # noqa: F401
                                    create_user, endpoint, okta, org, admin_headers, public_client, query, sign_in)

VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"  # RFC 7636 Appendix B


def fresh_code(c: dict | None = None, username: str = "alice@example.com", **overrides) -> str:
    c = c or cognito_client()
    url = endpoint("authorize") + "?" + requests.compat.urlencode(authorize_params(c, **overrides))
    back = sign_in(requests.Session(), url, username)
    assert back.status_code == 302, back.text[:300]
    return query(back.headers["Location"])["code"]


def post_token(data: dict, auth: tuple[str, str] | None = None, **kwargs) -> requests.Response:
    return requests.post(endpoint("token"), data=data, auth=auth, timeout=10, **kwargs)


def code_exchange(code: str, **overrides) -> dict:
    c = cognito_client()
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": c["redirect_uris"][0],
            "code_verifier": VERIFIER, "client_id": c["client_id"], "client_secret": c["client_secret"]}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def assert_oauth_error(response: requests.Response, status: int, error: str, description: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json() == {"error": error, "error_description": description}
    assert response.headers["Cache-Control"] == "no-store"


def test_the_code_exchange_works_with_the_rfc_7636_example_verifier(okta):
    response = post_token(code_exchange(fresh_code()))
    assert response.status_code == 200 and response.json()["id_token"]


def test_a_replayed_code_is_rejected_with_invalid_grant(okta):
    code = fresh_code()
    assert post_token(code_exchange(code)).status_code == 200
    assert_oauth_error(post_token(code_exchange(code)), 400, "invalid_grant",
                       "The authorization code is invalid or has expired.")


def test_an_unknown_code_is_rejected_with_invalid_grant(okta):
    assert_oauth_error(post_token(code_exchange("made-up-code")), 400, "invalid_grant",
                       "The authorization code is invalid or has expired.")


def test_a_wrong_code_verifier_fails_pkce_and_burns_the_code(okta):
    code = fresh_code()
    assert_oauth_error(post_token(code_exchange(code, code_verifier="x" * 43)), 400, "invalid_grant",
                       "PKCE verification failed.")
    assert_oauth_error(post_token(code_exchange(code)), 400, "invalid_grant",
                       "The authorization code is invalid or has expired.")


def test_a_missing_code_verifier_fails_pkce(okta):
    assert_oauth_error(post_token(code_exchange(fresh_code(), code_verifier=None)), 400, "invalid_grant",
                       "PKCE verification failed.")


def test_a_malformed_code_verifier_is_an_invalid_request(okta):
    assert_oauth_error(post_token(code_exchange(fresh_code(), code_verifier="short")), 400, "invalid_request",
                       "The PKCE code verifier must be 43 to 128 characters of [A-Z], [a-z], [0-9], '-', '.', '_' "
                       "and '~'.")


def test_a_different_redirect_uri_at_the_token_endpoint_is_rejected(okta):
    assert_oauth_error(post_token(code_exchange(fresh_code(), redirect_uri="http://localhost:1/other")), 400,
                       "invalid_grant",
                       "The 'redirect_uri' does not match the redirection URI used in the authorization request.")


def test_a_code_is_bound_to_the_client_it_was_issued_to(okta):
    code = fresh_code(public_client(), code_challenge=CHALLENGE)
    assert_oauth_error(post_token(code_exchange(code, redirect_uri=public_client()["redirect_uris"][0])), 400,
                       "invalid_grant", "The authorization code is invalid or has expired.")


def test_missing_client_credentials_are_a_401_invalid_client_with_www_authenticate(okta):
    response = post_token(code_exchange("x", client_id=None, client_secret=None))
    assert_oauth_error(response, 401, "invalid_client", "No client credentials found.")
    assert response.headers["WWW-Authenticate"].startswith("Basic ")


def test_a_wrong_client_secret_is_a_401_invalid_client(okta):
    for response in (post_token(code_exchange("x", client_secret="wrong")),
                     post_token(code_exchange("x", client_id=None, client_secret=None), auth=(COGNITO, "wrong"))):
        assert_oauth_error(response, 401, "invalid_client",
                           "The client secret supplied for a confidential client is invalid.")
        assert "WWW-Authenticate" in response.headers


def test_an_unknown_client_is_a_401_invalid_client(okta):
    assert_oauth_error(post_token(code_exchange("x", client_id="0oaNobody", client_secret="s")), 401,
                       "invalid_client", "Invalid value for 'client_id' parameter.")


def test_a_confidential_client_without_its_secret_is_a_401_invalid_client(okta):
    assert_oauth_error(post_token(code_exchange("x", client_secret=None)), 401, "invalid_client",
                       "No client credentials found.")


def test_credentials_in_both_header_and_body_are_refused(okta):
    c = cognito_client()
    assert_oauth_error(post_token(code_exchange("x"), auth=(c["client_id"], c["client_secret"])), 400,
                       "invalid_request",
                       "Cannot supply multiple client credentials. Use one of the following: credentials in the "
                       "Authorization header, credentials in the post body, or a client_assertion in the post body.")


def test_a_malformed_basic_header_is_invalid_client(okta):
    response = post_token(code_exchange("x", client_id=None, client_secret=None),
                          headers={"Authorization": "Basic !!!not-base64"})
    assert_oauth_error(response, 401, "invalid_client",
                       "Client authentication failed. The Authorization header is malformed.")


def test_a_missing_grant_type_is_invalid_request_and_an_unknown_one_unsupported(okta):
    assert_oauth_error(post_token(code_exchange("x", grant_type=None)), 400, "invalid_request",
                       "The 'grant_type' parameter is missing.")
    assert_oauth_error(post_token(code_exchange("x", grant_type="password")), 400, "unsupported_grant_type",
                       "The authorization grant type is not supported by the authorization server.")


def test_missing_code_is_invalid_request(okta):
    assert_oauth_error(post_token(code_exchange(None)), 400, "invalid_request", "The 'code' parameter is missing.")


def test_a_json_body_is_refused_the_token_endpoint_takes_a_form(okta):
    response = requests.post(endpoint("token"), json=code_exchange("x"), timeout=5)
    assert_oauth_error(response, 400, "invalid_request",
                       "Content-Type must be 'application/x-www-form-urlencoded'.")


def test_a_revoked_or_unknown_refresh_token_is_invalid_grant(okta):
    session, token = code_flow(cognito_client(), scope="openid offline_access")
    session.revoke_token(endpoint("revoke"), token=token["refresh_token"], token_type_hint="refresh_token")
    c = cognito_client()
    for refresh in (token["refresh_token"], "made-up"):
        assert_oauth_error(post_token({"grant_type": "refresh_token", "refresh_token": refresh},
                                      auth=(c["client_id"], c["client_secret"])), 400, "invalid_grant",
                           "The refresh token is invalid or expired.")


def test_refreshing_with_wider_scopes_is_invalid_scope(okta):
    _, token = code_flow(cognito_client(), scope="openid offline_access")
    c = cognito_client()
    assert_oauth_error(post_token({"grant_type": "refresh_token", "refresh_token": token["refresh_token"],
                                   "scope": "openid email offline_access"}, auth=(c["client_id"], c["client_secret"])),
                       400, "invalid_scope", "The requested scopes are not a subset of the scopes originally granted.")


def test_a_deactivated_users_code_and_tokens_stop_working(okta):
    user = create_user()
    session, token = code_flow(cognito_client(), username=user["profile"]["login"],
                               scope="openid profile offline_access")
    code = fresh_code(username=user["profile"]["login"])
    gone = requests.post(f"{org()}/api/v1/users/{user['id']}/lifecycle/deactivate", headers=admin_headers(),
                         timeout=5)
    assert gone.status_code == 200
    assert_oauth_error(post_token(code_exchange(code)), 400, "invalid_grant",
                       "The authorization code is invalid or has expired.")
    c = cognito_client()
    assert_oauth_error(post_token({"grant_type": "refresh_token", "refresh_token": token["refresh_token"]},
                                  auth=(c["client_id"], c["client_secret"])), 400, "invalid_grant",
                       "The refresh token is invalid or expired.")
    assert session.get(endpoint("userinfo"), timeout=5).status_code == 401


def bearer_challenge(response: requests.Response) -> str:
    return response.headers["WWW-Authenticate"]


def test_userinfo_without_a_token_is_401_invalid_request(okta):
    response = requests.get(endpoint("userinfo"), timeout=5)
    assert response.status_code == 401
    assert 'error="invalid_request", error_description="The access token is missing."' in bearer_challenge(response)


@pytest.mark.parametrize("make_token", [
    lambda good: "garbage",
    lambda good: good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB"),  # bad signature
    # alg confusion: HS256 "signed" with a public value, and alg none
    lambda good: jwt.encode(jwt.decode(good, options={"verify_signature": False}), "secret", algorithm="HS256",
                            headers={"kid": jwt.get_unverified_header(good)["kid"]}),
    lambda good: ".".join([base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode(),
                           good.split(".")[1], ""]),
], ids=["garbage", "bad-signature", "hs256-confusion", "alg-none"])
def test_userinfo_with_a_bad_token_is_401_invalid_token(okta, make_token):
    _, token = code_flow(cognito_client())
    response = requests.get(endpoint("userinfo"), headers={"Authorization": f"Bearer {make_token(token['access_token'])}"},
                            timeout=5)
    assert response.status_code == 401 and response.text == ""
    assert 'error="invalid_token", error_description="The access token is invalid."' in bearer_challenge(response)


def test_an_id_token_is_not_accepted_as_an_access_token(okta):
    _, token = code_flow(cognito_client())
    response = requests.get(endpoint("userinfo"), headers={"Authorization": f"Bearer {token['id_token']}"}, timeout=5)
    assert response.status_code == 401 and 'error="invalid_token"' in bearer_challenge(response)


def test_introspect_and_revoke_need_client_authentication_and_a_token(okta):
    for name in ("introspect", "revoke"):
        assert_oauth_error(requests.post(endpoint(name), data={"token": "x"}, timeout=5), 401, "invalid_client",
                           "No client credentials found.")
        c = cognito_client()
        assert_oauth_error(requests.post(endpoint(name), data={}, auth=(c["client_id"], c["client_secret"]),
                                         timeout=5), 400, "invalid_request", "The 'token' parameter is missing.")


def test_a_client_cannot_introspect_another_clients_token(okta):
    _, token = code_flow(public_client())
    session = authlib_session(cognito_client())
    assert session.introspect_token(endpoint("introspect"), token=token["access_token"]).json() == {"active": False}


def test_a_scenario_can_make_the_token_endpoint_fail(okta):
    from tests.mock_idp_helpers import scenario
    code = fresh_code()
    with scenario({"token_endpoint": {"status": 500}}):
        response = post_token(code_exchange(code))
        assert_oauth_error(response, 500, "server_error",
                           "The server encountered an internal error (sandbox scenario).")
    assert post_token(code_exchange(code)).status_code == 200  # the failure issued nothing and used nothing


def test_userinfo_with_a_token_lacking_openid_is_403_insufficient_scope_with_oktas_description(okta):
    # A refresh narrowed to offline_access gives an access token without openid.
    _, token = code_flow(cognito_client(), scope="openid offline_access")
    c = cognito_client()
    narrowed = post_token({"grant_type": "refresh_token", "refresh_token": token["refresh_token"],
                           "scope": "offline_access"}, auth=(c["client_id"], c["client_secret"]))
    assert narrowed.status_code == 200, narrowed.text
    response = requests.get(endpoint("userinfo"), timeout=5,
                            headers={"Authorization": f"Bearer {narrowed.json()['access_token']}"})
    assert response.status_code == 403 and response.text == ""
    # support.okta.com: "insufficient_scope Error when Making a Request to an OAuth or Management Endpoint".
    assert ('scope="openid", error="insufficient_scope", error_description="The access token provided does not '
            'contain the required scopes."') in bearer_challenge(response)
