"""Every /v1/authorize rule, broken one at a time: an error page before the redirect URI is trusted,
an error redirect (with state) after it, and nothing issued."""

from __future__ import annotations

import html

import pytest
import requests

from tests.mock_idp_helpers import (PUBLIC, authorize_params, cognito_client, endpoint, okta, org,  # noqa: F401
                                    public_client, query, sign_in, submit_signin)

REDIRECT_URI_ERROR = ("The 'redirect_uri' parameter must be a Login redirect URI in the client app settings: "
                      "{org}/admin/app/oidc_client/instance/{client}#tab-general")


def authorize(**overrides) -> requests.Response:
    return requests.get(endpoint("authorize"), params=authorize_params(cognito_client(), **overrides),
                        allow_redirects=False, timeout=5)


def error_page(response: requests.Response) -> tuple[str, str]:
    text = response.text
    code = text.split('id="error-code">', 1)[1].split("<", 1)[0]
    description = text.split('id="error-description">', 1)[1].split("</dd>", 1)[0]
    return html.unescape(code), html.unescape(description)


def error_redirect(response: requests.Response, state: str = "s") -> tuple[str, str]:
    assert response.status_code == 302, response.text[:300]
    location = response.headers["Location"]
    assert location.startswith(cognito_client()["redirect_uris"][0] + "?")
    params = query(location)
    assert params.get("state") == state and "code" not in params
    return params["error"], params["error_description"]


def test_unknown_client_gets_an_error_page_not_a_redirect(okta):
    response = authorize(client_id="0oaUnknownClient0000")
    assert response.status_code == 400 and "Location" not in response.headers
    assert response.headers["Content-Type"].startswith("text/html")
    assert error_page(response) == ("invalid_client", "Invalid value for 'client_id' parameter.")


def test_missing_client_id_gets_an_error_page(okta):
    response = authorize(client_id=None)
    assert response.status_code == 400
    assert error_page(response) == ("invalid_client", "Invalid value for 'client_id' parameter.")


@pytest.mark.parametrize("redirect_uri", [
    "https://evil.example/callback",
    "{registered}/extra",          # prefix match is not a match
    "{registered}?x=1",            # nor is an added query
    "{registered_upper}",          # nor another case
    None,
])
def test_a_redirect_uri_that_is_not_registered_exactly_gets_an_error_page_never_a_redirect(okta, redirect_uri):
    registered = cognito_client()["redirect_uris"][0]
    if redirect_uri is not None:
        redirect_uri = redirect_uri.format(registered=registered, registered_upper=registered.upper())
    response = authorize(redirect_uri=redirect_uri)
    assert response.status_code == 400 and "Location" not in response.headers
    assert error_page(response) == ("invalid_request", REDIRECT_URI_ERROR.format(org=org(), client=cognito_client()["client_id"]))


def test_another_clients_redirect_uri_is_not_accepted(okta):
    response = authorize(redirect_uri=public_client()["redirect_uris"][0])
    assert response.status_code == 400 and "Location" not in response.headers


@pytest.mark.parametrize("overrides, error, description", [
    ({"scope": "profile email"}, "invalid_scope", "The 'openid' scope is required."),
    ({"scope": "openid groups"}, "invalid_scope",
     "One or more scopes are not configured for the authorization server resource."),
    ({"scope": None}, "invalid_scope",
     "The authorization server resource does not have any configured default scopes, 'scope' must be provided."),
    ({"response_type": "token"}, "unsupported_response_type",
     "The response type is not supported by the authorization server. Configured response types: [code]."),
    ({"response_type": None}, "invalid_request", "The 'response_type' parameter is missing."),
    ({"response_mode": "okta_post_message"}, "unsupported_response_mode",
     "The specified response mode is invalid or unsupported."),
    ({"response_mode": "web_message"}, "unsupported_response_mode",
     "The specified response mode is invalid or unsupported."),
    ({"nonce": None}, "invalid_request", "The 'nonce' parameter is required."),
    ({"code_challenge_method": "plain"}, "invalid_request",
     "PKCE code challenge method is not supported. The only supported value is 'S256'."),
    ({"code_challenge_method": None}, "invalid_request",
     "PKCE code challenge method is not supported. The only supported value is 'S256'."),
    ({"code_challenge": "too-short"}, "invalid_request",
     "PKCE code challenge contains illegal characters or is not 43 characters long."),
    ({"code_challenge": None}, "invalid_request",
     "The 'code_challenge' parameter is required when 'code_challenge_method' is sent."),
    ({"prompt": "none login"}, "invalid_request", "The 'prompt' parameter is invalid."),
    ({"prompt": "none"}, "login_required", "The client specified not to prompt, but the user is not logged in."),
])
def test_a_broken_rule_after_the_redirect_uri_is_trusted_redirects_back_with_the_error_and_state(
        okta, overrides, error, description):
    assert error_redirect(authorize(state="s", **overrides)) == (error, description)


def test_missing_state_is_an_error_redirect_without_state(okta):
    response = authorize(state=None)
    assert response.status_code == 302
    params = query(response.headers["Location"])
    assert (params["error"], params["error_description"]) == ("invalid_request", "The 'state' parameter is required.")
    assert "state" not in params and "code" not in params


def test_a_repeated_parameter_is_rejected(okta):
    params = list(authorize_params(cognito_client(), state="s").items()) + [("scope", "openid")]
    response = requests.get(endpoint("authorize"), params=params, allow_redirects=False, timeout=5)
    assert error_redirect(response) == ("invalid_request", "The 'scope' parameter was included more than once.")


def test_a_public_client_without_pkce_is_refused(okta):
    c = public_client()
    response = requests.get(endpoint("authorize"), allow_redirects=False, timeout=5,
                            params=authorize_params(c, state="s", code_challenge=None, code_challenge_method=None))
    assert response.status_code == 302
    params = query(response.headers["Location"])
    assert response.headers["Location"].startswith(c["redirect_uris"][0])
    assert (params["error"], params["error_description"]) == (
        "invalid_request", "PKCE code challenge is required when the token endpoint authentication method is 'NONE'.")


def test_a_wrong_password_shows_the_form_again_with_an_error_and_issues_nothing(okta):
    browser = requests.Session()
    page = browser.get(endpoint("authorize"), params=authorize_params(cognito_client()), timeout=5)
    wrong = submit_signin(browser, page, "alice@example.com", "not-the-password")
    assert wrong.status_code == 401 and "Location" not in wrong.headers
    assert 'role="alert">Unable to sign in<' in wrong.text and 'name="password"' in wrong.text
    assert "okta_sid" not in browser.cookies
    # The same page still works with the right password.
    right = submit_signin(browser, wrong, "alice@example.com")
    assert right.status_code == 302 and "code" in query(right.headers["Location"])


@pytest.mark.parametrize("username", ["carol@example.com", "nobody@example.com"])
def test_a_deprovisioned_or_unknown_user_cannot_sign_in(okta, username):
    browser = requests.Session()
    response = sign_in(browser, endpoint("authorize") + "?" + requests.compat.urlencode(
        authorize_params(cognito_client())), username)
    assert response.status_code == 401 and "Unable to sign in" in response.text
    assert "okta_sid" not in browser.cookies


def test_a_sign_in_page_is_single_use(okta):
    browser = requests.Session()
    page = browser.get(endpoint("authorize"), params=authorize_params(cognito_client()), timeout=5)
    assert submit_signin(browser, page, "alice@example.com").status_code == 302
    replay = submit_signin(browser, page, "alice@example.com")
    assert replay.status_code == 400 and "Location" not in replay.headers
    assert error_page(replay)[0] == "invalid_request"


def test_everything_echoed_into_the_sign_in_page_is_escaped(okta):
    browser = requests.Session()
    page = browser.get(endpoint("authorize"), params=authorize_params(cognito_client()), timeout=5)
    hostile = '"><script>alert(1)</script>'
    wrong = submit_signin(browser, page, hostile, "x")
    assert wrong.status_code == 401
    assert "<script>alert(1)</script>" not in wrong.text and "&lt;script&gt;" in wrong.text


def test_hostile_parameters_on_the_error_page_are_escaped(okta):
    response = authorize(client_id='<img src=x onerror="alert(1)">')
    assert response.status_code == 400 and "<img" not in response.text
    assert response.headers["X-Frame-Options"] == "DENY"
