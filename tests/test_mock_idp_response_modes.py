"""response_mode on /v1/authorize: query (the code flow's default), fragment and form_post, for codes
and for errors alike; Okta's okta_post_message is not implemented and is refused."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import requests

from tests.mock_idp_helpers import (authorize_params, cognito_client, endpoint, issuer, okta,  # noqa: F401
                                    sign_in)

VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"  # RFC 7636 Appendix B, for the helpers' challenge
HIDDEN = re.compile(r'<input type="hidden" name="([^"]*)" value="([^"]*)">')


def authorize_url(**overrides) -> str:
    return endpoint("authorize") + "?" + requests.compat.urlencode(authorize_params(cognito_client(), **overrides))


def form_post_fields(response: requests.Response) -> tuple[str, dict]:
    """The form_post page's action and hidden fields, unescaped."""
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    action = re.search(r'<form method="post" action="([^"]*)"', response.text).group(1)
    return html.unescape(action), {html.unescape(k): html.unescape(v) for k, v in HIDDEN.findall(response.text)}


def redeem(code: str) -> requests.Response:
    c = cognito_client()
    return requests.post(endpoint("token"), auth=(c["client_id"], c["client_secret"]), timeout=10,
                         data={"grant_type": "authorization_code", "code": code, "redirect_uri": c["redirect_uris"][0],
                               "code_verifier": VERIFIER})


def test_discovery_lists_query_fragment_and_form_post(okta):
    doc = requests.get(f"{issuer()}/.well-known/openid-configuration", timeout=5).json()
    assert doc["response_modes_supported"] == ["query", "fragment", "form_post"]


def test_fragment_mode_puts_the_code_and_state_in_the_fragment(okta):
    back = sign_in(requests.Session(), authorize_url(state="st-1", response_mode="fragment"))
    assert back.status_code == 302
    location = urlsplit(back.headers["Location"])
    registered = urlsplit(cognito_client()["redirect_uris"][0])
    assert (location.scheme, location.netloc, location.path, location.query) == (
        registered.scheme, registered.netloc, registered.path, "")
    params = {k: v[0] for k, v in parse_qs(location.fragment).items()}
    assert params["state"] == "st-1" and redeem(params["code"]).status_code == 200


def test_form_post_mode_answers_with_an_auto_submitting_form_to_the_redirect_uri(okta):
    back = sign_in(requests.Session(), authorize_url(state="st-2", response_mode="form_post"))
    action, fields = form_post_fields(back)
    assert action == cognito_client()["redirect_uris"][0] and "Location" not in back.headers
    assert set(fields) == {"code", "state"} and fields["state"] == "st-2"
    assert "okta_sid" in back.headers.get("Set-Cookie", "")  # the sign-in still starts the Okta session
    assert back.headers["Cache-Control"] == "no-store"  # Form Post Response Mode §2: not to be stored
    nonce = re.search(r"script-src 'nonce-([^']+)'", back.headers["Content-Security-Policy"]).group(1)
    assert f'<script nonce="{nonce}">' in back.text and ".submit()" in back.text
    assert redeem(fields["code"]).status_code == 200


def test_form_post_escapes_a_hostile_state(okta):
    hostile = '"><script>alert(1)</script>'
    back = sign_in(requests.Session(), authorize_url(state=hostile, response_mode="form_post"))
    _, fields = form_post_fields(back)
    assert fields["state"] == hostile and "<script>alert(1)" not in back.text


def test_with_an_okta_session_form_post_answers_at_once_with_the_form(okta):
    browser = requests.Session()
    assert sign_in(browser, authorize_url()).status_code == 302
    again = browser.get(authorize_url(state="st-3", response_mode="form_post"), allow_redirects=False, timeout=5)
    _, fields = form_post_fields(again)
    assert fields["state"] == "st-3" and "code" in fields


def test_errors_go_back_in_the_requested_mode(okta):
    fragment = requests.get(authorize_url(state="s", prompt="none", response_mode="fragment"), allow_redirects=False,
                            timeout=5)
    assert fragment.status_code == 302
    params = {k: v[0] for k, v in parse_qs(urlsplit(fragment.headers["Location"]).fragment).items()}
    assert (params["error"], params["state"]) == ("login_required", "s")
    posted = requests.get(authorize_url(state="s", prompt="none", response_mode="form_post"), allow_redirects=False,
                          timeout=5)
    _, fields = form_post_fields(posted)
    assert fields == {"error": "login_required",
                      "error_description": "The client specified not to prompt, but the user is not logged in.",
                      "state": "s"}


def test_okta_post_message_is_refused_with_unsupported_response_mode_in_the_query(okta):
    response = requests.get(authorize_url(state="s", response_mode="okta_post_message"), allow_redirects=False,
                            timeout=5)
    assert response.status_code == 302
    params = {k: v[0] for k, v in parse_qs(urlsplit(response.headers["Location"]).query).items()}
    assert (params["error"], params["error_description"], params["state"]) == (
        "unsupported_response_mode", "The specified response mode is invalid or unsupported.", "s")
