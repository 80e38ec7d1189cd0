"""Seed step b, where real apps break: the authorize request as real Cognito reads it (nonce, scope,
prompt, login_hint, idp_identifier, the implicit grant), and the error details of the endpoints a browser
app calls. Each test says the source of the behaviour it asserts."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
import requests

from sandbox.aws import client
from sandbox.config import settings
from tests.functions_cognito.browser import (Browser, authorize_params, exchange, new_okta_user, pkce_pair,
                                             query, ui)

CALLBACK = f"{settings().demo_site_url}/oidc/callback/"


def authorize(resources, **override) -> requests.Response:
    return requests.get(ui("/oauth2/authorize?" + urlencode(authorize_params(resources, **override))),
                        allow_redirects=False, timeout=10)


def redirected(response: requests.Response) -> dict:
    """The query the hosted UI sent back to the client's redirect URI."""
    assert response.status_code == 302, (response.status_code, response.text[:300])
    assert response.headers["Location"].startswith(CALLBACK + "?"), response.headers["Location"]
    return query(response.headers["Location"])


def okta_authorize(response: requests.Response) -> dict:
    """The query of the redirect to Okta's authorize endpoint."""
    assert response.status_code == 302, (response.status_code, response.text[:300])
    location = response.headers["Location"]
    assert location.startswith(f"{settings().okta_issuer}/v1/authorize?"), location
    return query(location)


def id_claims(resources, id_token: str) -> dict:
    keys = jwt.PyJWKClient(f"{resources.issuer}/.well-known/jwks.json")
    return jwt.decode(id_token, keys.get_signing_key_from_jwt(id_token).key, algorithms=["RS256"],
                      audience=resources.client_id, issuer=resources.issuer)


def sent_to_okta(browser: Browser) -> dict:
    """The query of the last redirect to Okta's authorize endpoint this browser followed."""
    return query([u for u in browser.visited if u.startswith(settings().okta_issuer + "/v1/authorize?")][-1])


# --- nonce (divergences #1) ------------------------------------------------------------------------


class NonceMismatch(Exception):
    pass


def openid_client_checks_nonce(claims: dict, sent_nonce: str | None) -> None:
    """The nonce check of panva/openid-client, the library under next-auth: an ID token whose nonce differs
    from the one sent, none sent included, is refused ("nonce mismatch, expected undefined, got: ...")."""
    if claims.get("nonce") != sent_nonce:
        expected = "undefined" if sent_nonce is None else sent_nonce
        raise NonceMismatch(f"nonce mismatch, expected {expected}, got: {claims.get('nonce')}")


def test_without_a_nonce_from_the_app_the_id_token_carries_the_nonce_cognito_sent_to_okta(resources):
    # AWS's OIDC-flow docs: Cognito sends its own nonce to the IdP when the app sends none; real hosted-UI
    # tokens then carry it (next-auth#3403, langfuse/langfuse#4401, MongoDB MONGOSH-1905).
    browser = Browser()
    answer = browser.sign_in(resources, new_okta_user("Nora", "Nonce"), nonce=None)
    cognito_nonce = sent_to_okta(browser)["nonce"]
    claims = id_claims(resources, exchange(resources, answer["code"]).json()["id_token"])
    assert claims["nonce"] == cognito_nonce
    assert len(cognito_nonce) == 171  # captured Cognito nonces are 171 base64url characters


def test_a_relying_party_that_sent_no_nonce_and_refuses_an_unexpected_one_fails_as_on_aws(resources):
    # next-auth#3403 / #3544 (Cognito + Okta): "nonce mismatch, expected undefined, got: <Cognito's nonce>".
    browser = Browser()
    answer = browser.sign_in(resources, new_okta_user("Rita", "Relying"), nonce=None)
    claims = id_claims(resources, exchange(resources, answer["code"]).json()["id_token"])
    with pytest.raises(NonceMismatch, match=r"^nonce mismatch, expected undefined, got: .+"):
        openid_client_checks_nonce(claims, None)


def test_the_apps_own_nonce_wins_over_cognitos(resources):
    browser = Browser()
    answer = browser.sign_in(resources, new_okta_user("Otto", "Own"), nonce="app-nonce-1")
    assert sent_to_okta(browser)["nonce"] != "app-nonce-1"  # Okta still gets Cognito's own ("Checked and matching")
    claims = id_claims(resources, exchange(resources, answer["code"]).json()["id_token"])
    openid_client_checks_nonce(claims, "app-nonce-1")


def test_a_code_from_cognitos_session_without_an_idp_round_trip_has_no_nonce(resources):
    # langfuse/langfuse#4401: the second sign-in "authorizes with only Cognito" and the nonce check passes.
    browser = Browser()
    browser.sign_in(resources, new_okta_user("Sam", "Session"))
    again = browser.get(ui("/oauth2/authorize?" + urlencode(authorize_params(resources, identity_provider=None,
                                                                               nonce=None))))
    claims = id_claims(resources, exchange(resources, redirected(again)["code"]).json()["id_token"])
    assert "nonce" not in claims


# --- scope (divergences #2) ------------------------------------------------------------------------

@pytest.mark.parametrize("scope", [
    "openid sandbox-api/admin.read",  # a scope of the pool the client may not use
    "openid offline_access",          # a scope Cognito does not have (Cognito has no offline_access)
    "openid email profile phone",     # one of several not allowed fails them all
    "aws.cognito.signin.user.admin",  # a reserved scope the client is not given
])
def test_a_scope_the_client_may_not_use_or_an_unknown_one_fails_the_sign_in(resources, scope):
    # Authorization-endpoint docs: "invalid, unknown, malformed scope" is an error to the redirect URI; the
    # wire form from live captures: ?error_description=invalid_scope&state=…&error=invalid_request
    # (mlops-club/awscdk-minecraft#40, aws-samples/cloudfront-authorization-at-edge#82, a 2025 capture of
    # `openid email profile phone` with phone not allowed).
    response = authorize(resources, scope=scope, state="scope-state")
    assert redirected(response) == {"error": "invalid_request", "error_description": "invalid_scope",
                                    "state": "scope-state"}
    assert response.headers["Location"] == (f"{CALLBACK}?error_description=invalid_scope&state=scope-state"
                                            "&error=invalid_request")


def test_the_allowed_scopes_pass(resources):
    assert okta_authorize(authorize(resources, scope="openid email profile sandbox-api/profile.read"))


# --- prompt and login_hint (divergences #13) --------------------------------------------------------

@pytest.mark.parametrize("identity_provider", [None, "Okta"])
def test_prompt_none_without_a_cognito_session_is_login_required(resources, identity_provider):
    # Authorization-endpoint docs (managed login), `prompt=none`; aws-amplify/amplify-js#14897 captures
    # error=login_required on the redirect URI.
    params = redirected(authorize(resources, prompt="none", identity_provider=identity_provider,
                                  state="silent"))
    assert params == {"error": "login_required", "state": "silent"}


@pytest.mark.parametrize("identity_provider", [None, "Okta"])
def test_prompt_none_with_a_federated_session_returns_a_code_silently(resources, identity_provider):
    # amplify-js#14897's matrix: a federated session is resumed without identity_provider or with its own IdP.
    browser = Browser()
    browser.sign_in(resources, new_okta_user("Sid", "Silent"))
    visited = len(browser.visited)
    again = browser.http.get(ui("/oauth2/authorize?" + urlencode(authorize_params(
        resources, prompt="none", identity_provider=identity_provider, state="quiet"))), allow_redirects=False,
        timeout=10)
    answer = redirected(again)
    assert answer["state"] == "quiet" and answer["code"]
    assert len(browser.visited) == visited  # no page, no trip to Okta


@pytest.mark.parametrize("prompt", ["login", "select_account", "consent"])
def test_prompt_is_forwarded_to_the_oidc_idp(resources, prompt):
    # Authorization-endpoint docs (managed login): prompt values are passed on to OIDC IdPs.
    assert okta_authorize(authorize(resources, prompt=prompt))["prompt"] == prompt


def test_without_prompt_okta_gets_none(resources):
    assert "prompt" not in okta_authorize(authorize(resources))


@pytest.mark.parametrize("prompt", ["login", "select_account", "consent login"])
def test_prompt_login_or_select_account_does_not_reuse_cognitos_session(resources, prompt):
    browser = Browser()
    browser.sign_in(resources, new_okta_user("Lou", "Login"))
    again = browser.http.get(ui("/oauth2/authorize?" + urlencode(authorize_params(
        resources, prompt=prompt, identity_provider=None))), allow_redirects=False, timeout=10)
    assert again.status_code == 302 and again.headers["Location"].startswith(ui("/login?"))
    assert query(again.headers["Location"])["prompt"] == prompt


def test_login_hint_is_forwarded_to_okta_which_prefills_its_form(resources):
    # Authorization-endpoint docs: login_hint lets "the destination provider pre-populate the user's sign-in
    # name"; Okta's /v1/authorize prefills the username.
    response = authorize(resources, login_hint="hint@example.com")
    assert okta_authorize(response)["login_hint"] == "hint@example.com"
    page = requests.get(response.headers["Location"], timeout=10)
    assert 'value="hint@example.com"' in page.text


# --- idp_identifier (divergences #14) ---------------------------------------------------------------

def test_idp_identifier_selects_the_idp_whose_identifiers_contain_it(resources):
    # Docs (SAML session initiation, IdP naming): idp_identifier is matched against IdpIdentifiers, e.g. an
    # email domain; provisioning gives Okta `example.com`.
    assert okta_authorize(authorize(resources, identity_provider=None, idp_identifier="example.com"))


def test_idp_identifier_is_not_the_idp_name(resources):
    params = redirected(authorize(resources, identity_provider=None, idp_identifier="Okta", state="idp"))
    assert params["error"] == "invalid_request" and params["state"] == "idp"


# --- implicit grant (divergences #16) ---------------------------------------------------------------

@pytest.fixture
def implicit_client(resources):
    idp = client("cognito-idp")
    created = idp.create_user_pool_client(
        UserPoolId=resources.user_pool_id, ClientName=f"implicit-{uuid.uuid4().hex[:8]}", GenerateSecret=False,
        AllowedOAuthFlows=["implicit"], AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthScopes=["openid", "email", "profile"], CallbackURLs=[CALLBACK],
        SupportedIdentityProviders=["Okta"])["UserPoolClient"]
    yield created["ClientId"]
    idp.delete_user_pool_client(UserPoolId=resources.user_pool_id, ClientId=created["ClientId"])


def fragment(location: str) -> dict:
    assert location.startswith(CALLBACK + "#"), location
    return {k: v[0] for k, v in parse_qs(urlsplit(location).fragment).items()}


def test_response_type_token_returns_tokens_in_the_fragment(resources, implicit_client):
    # Authorization-endpoint docs, "Token grant with openid scope": 302 to
    # redirect_uri#id_token=…&access_token=…&token_type=bearer&expires_in=3600&state=…; no refresh token.
    browser = Browser()
    page = browser.get(ui("/oauth2/authorize?" + urlencode(authorize_params(
        resources, client_id=implicit_client, response_type="token", state="imp", nonce="imp-nonce"))))
    back = browser.okta_sign_in(page, new_okta_user("Ivy", "Implicit").email)
    assert back.status_code == 302 and "?" not in back.headers["Location"]
    answer = fragment(back.headers["Location"])
    assert set(answer) == {"id_token", "access_token", "token_type", "expires_in", "state"}
    assert answer["token_type"] == "bearer" and answer["expires_in"] == "3600" and answer["state"] == "imp"
    keys = jwt.PyJWKClient(f"{resources.issuer}/.well-known/jwks.json")
    claims = jwt.decode(answer["id_token"], keys.get_signing_key_from_jwt(answer["id_token"]).key,
                        algorithms=["RS256"], audience=implicit_client, issuer=resources.issuer)
    assert claims["nonce"] == "imp-nonce" and claims["token_use"] == "id"
    access = jwt.decode(answer["access_token"], options={"verify_signature": False})
    assert access["client_id"] == implicit_client and access["token_use"] == "access"


def test_response_type_token_for_a_client_without_implicit_is_unauthorized_client(resources):
    # Authorization-endpoint docs: a response_type the client has no permission for is unauthorized_client on
    # the redirect URI; the implicit request's errors go back in the fragment (its response mode).
    response = authorize(resources, response_type="token", state="no-imp")
    answer = fragment(response.headers["Location"])
    assert answer["error"] == "unauthorized_client" and answer["state"] == "no-imp"


# --- CORS on the browser-facing OAuth endpoints (divergences #12) -----------------------------------

ORIGIN = "http://localhost:3000"


@pytest.mark.parametrize("path, methods, headers", [
    ("/oauth2/token", "POST", "content-type,authorization"),
    ("/oauth2/userInfo", "GET, POST", "authorization"),
    ("/oauth2/revoke", "POST", "content-type,authorization"),
])
def test_a_browser_preflight_is_answered_for_the_oauth_endpoints(sandbox, path, methods, headers):
    answer = requests.options(ui(path), timeout=10, headers={"Origin": ORIGIN, "Access-Control-Request-Method":
                                                             methods.split(",")[0], "Access-Control-Request-Headers": headers})
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert answer.headers["Access-Control-Allow-Methods"] == methods
    assert answer.headers["Access-Control-Allow-Headers"] == headers


def test_token_answers_and_errors_are_readable_cross_origin(resources):
    response = requests.post(ui("/oauth2/token"), data={"grant_type": "authorization_code", "code": "nope",
                                                       "redirect_uri": CALLBACK, "client_id": resources.client_id},
                             headers={"Origin": ORIGIN}, timeout=10)
    assert response.status_code in (400, 401)
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_userinfo_errors_are_readable_cross_origin(sandbox):
    response = requests.get(ui("/oauth2/userInfo"), headers={"Origin": ORIGIN, "Authorization": "Bearer x"},
                            timeout=10)
    assert response.status_code == 401
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_the_authorize_endpoint_is_a_navigation_and_sends_no_cors_headers(resources):
    assert "Access-Control-Allow-Origin" not in authorize(resources).headers


# --- error details (divergences #18, #19, minor list) -----------------------------------------------

@pytest.mark.parametrize("auth", [("wrong-client", "x"), None])
def test_revoke_with_bad_client_credentials_is_401_invalid_client(resources, auth):
    # Revocation-endpoint docs: "HTTP 401 and error invalid_client is returned if the client credentials are
    # invalid".
    auth = auth or (resources.client_id, "not-the-secret")
    response = requests.post(ui("/oauth2/revoke"), data={"token": "some-refresh-token"}, auth=auth, timeout=10)
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_client"}


def test_userinfo_with_an_access_token_without_openid_says_so(resources):
    # simov/grant#189: Cognito's userInfo answers "Access token does not contain openid scope".
    token = requests.post(ui("/oauth2/token"), auth=(resources.machine_client_id, resources.machine_client_secret),
                          data={"grant_type": "client_credentials"}, timeout=10).json()["access_token"]
    response = requests.get(ui("/oauth2/userInfo"), headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_token",
                               "error_description": "Access token does not contain openid scope"}
    assert response.headers["WWW-Authenticate"] == ('Bearer error="invalid_token", '
                                                    'error_description="Access token does not contain openid scope"')


def test_token_responses_carry_cognitos_cache_headers(resources):
    # A capture of real /oauth2/token answers and the userInfo docs' sample: Cache-Control: no-cache, no-store,
    # max-age=0, must-revalidate; Pragma: no-cache; Expires: 0.
    verifier, challenge = pkce_pair()
    answer = Browser().sign_in(resources, new_okta_user("Cai", "Cache"), code_challenge=challenge,
                               code_challenge_method="S256")
    for response in (exchange(resources, answer["code"], verifier), exchange(resources, answer["code"], verifier)):
        assert response.headers["Cache-Control"] == "no-cache, no-store, max-age=0, must-revalidate"
        assert response.headers["Pragma"] == "no-cache" and response.headers["Expires"] == "0"
