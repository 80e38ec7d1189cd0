"""The mock Okta honours what Cognito forwards from the app: `prompt` (login, select_account, consent,
none) and `login_hint` (OIDC Core §3.1.2.1; Okta's /v1/authorize reference: login_hint is "a username to
prepopulate if prompting for authentication")."""

from __future__ import annotations

import requests

from tests.mock_idp_helpers import (authorize_params, cognito_client, endpoint, okta, query,  # noqa: F401
                                    sign_in)


def signed_in_browser() -> requests.Session:
    browser = requests.Session()
    back = sign_in(browser, requests.Request("GET", endpoint("authorize"),
                                             params=authorize_params(cognito_client())).prepare().url)
    assert back.status_code == 302 and "code" in query(back.headers["Location"])
    return browser


def test_prompt_select_account_shows_the_sign_in_form_despite_an_okta_session(okta):
    browser = signed_in_browser()
    page = browser.get(endpoint("authorize"), params=authorize_params(cognito_client(), prompt="select_account"),
                       allow_redirects=False, timeout=5)
    assert page.status_code == 200 and 'name="password"' in page.text


def test_prompt_login_shows_the_sign_in_form_despite_an_okta_session(okta):
    browser = signed_in_browser()
    page = browser.get(endpoint("authorize"), params=authorize_params(cognito_client(), prompt="login"),
                       allow_redirects=False, timeout=5)
    assert page.status_code == 200 and 'name="password"' in page.text


def test_prompt_consent_reuses_the_session_of_a_first_party_client(okta):
    # Consent is implied for the sandbox's first-party clients: the session answers, as it does with no prompt.
    browser = signed_in_browser()
    params = authorize_params(cognito_client(), prompt="consent")
    back = browser.get(endpoint("authorize"), params=params, allow_redirects=False, timeout=5)
    assert back.status_code == 302
    assert query(back.headers["Location"])["state"] == params["state"]
    assert "code" in query(back.headers["Location"])


def test_prompt_none_with_select_account_is_refused_as_invalid(okta):
    params = authorize_params(cognito_client(), prompt="none select_account")
    back = requests.get(endpoint("authorize"), params=params, allow_redirects=False, timeout=5)
    assert back.status_code == 302
    assert query(back.headers["Location"]) == {"error": "invalid_request", "state": params["state"],
                                                "error_description": "The 'prompt' parameter is invalid."}


def test_login_hint_prefills_the_username_escaped(okta):
    hint = 'bob"<b>@example.com'
    page = requests.get(endpoint("authorize"), params=authorize_params(cognito_client(), login_hint=hint),
                        allow_redirects=False, timeout=5)
    assert page.status_code == 200
    assert 'value="bob&#34;&lt;b&gt;@example.com"' in page.text
    assert "<b>@" not in page.text
