"""Seed steps h-k from the demo site's side, over real HTTP against the session sandbox: the profile API
called with the access token (and the flow id), an expired access token refreshed, refusals shown as a
403 page that says why; plus sign-out and the callback's refusals."""

from __future__ import annotations

import html
import sqlite3
import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore

from sandbox.config import seed, settings
from sandbox.testing.browser import Browser, parse_page
from tests.browser import http_sign_in
from tests.flows import flow_events

BOB = next(u for u in seed()["okta"]["users"] if u["login"] == "bob@example.com")
# Read at collection, before pytest-django points DATABASES at a test database for django_db tests.
DEMO_DATABASE = django_settings.DATABASES["default"]["NAME"]


@pytest.fixture
def demo(sandbox) -> str:
    return settings().demo_site_url


@pytest.fixture
def signed_in(demo) -> requests.Session:
    browser = requests.Session()
    assert http_sign_in(demo, BOB, browser).url == demo + "/profile/"
    return browser


class DemoSessions:
    """The demo site's server-side sessions, read and changed in its sqlite file (its port's database)."""

    def __init__(self):
        self.path = DEMO_DATABASE

    def load(self, key: str) -> dict:
        with sqlite3.connect(self.path) as db:
            (data,) = db.execute("SELECT session_data FROM django_session WHERE session_key = ?", (key,)).fetchone()
        return SessionStore().decode(data)

    def save(self, key: str, data: dict) -> None:
        with sqlite3.connect(self.path) as db:
            db.execute("UPDATE django_session SET session_data = ? WHERE session_key = ?",
                       (SessionStore().encode(data), key))


def mint_expired_access_token(resources, current: str) -> str:
    """The session's access token as Cognito would mint it an hour earlier: signed by the pool, expired."""
    claims = jwt.decode(current, options={"verify_signature": False})
    now = int(time.time())
    claims.update(iat=now - 3600, exp=now - 60, auth_time=now - 3600)
    response = requests.post(f"{settings().aws_endpoint_url}/_sandbox/cognito-idp/{resources.user_pool_id}/sign",
                             json={"token_use": "access", "claims": claims}, timeout=10)
    return response.json()["token"]


def test_the_profile_shows_the_api_answer_and_the_dynamodb_record(signed_in, demo):
    page = signed_in.get(demo + "/profile/", timeout=20)
    assert page.status_code == 200
    assert '<strong id="api-status">200</strong>' in page.text
    assert f"okta_{BOB['id']}".lower() in page.text and "bob@example.com" in page.text and "Brown" in page.text


def test_the_profile_shows_the_users_idp_group_from_the_api_and_the_id_token(signed_in, demo, resources):
    # The claims API Gateway passed (cognito:groups, a string) and the ID token's (an array).
    page = signed_in.get(demo + "/profile/", timeout=20)
    group = f"{resources.user_pool_id}_Okta"
    assert page.text.count(group) >= 2 and "cognito:groups" in page.text


def test_the_api_call_carries_the_sign_ins_flow_id_so_api_gateway_records_into_the_same_flow(signed_in, demo):
    flow = DemoSessions().load(signed_in.cookies["demo_sessionid"])["demo_flow"]
    signed_in.get(demo + "/profile/", timeout=20)
    wanted = {("apigateway", "i"), ("demo", "h")}
    events = flow_events(flow, lambda events: wanted <= {(e["actor"], e["step"]) for e in events})
    assert wanted <= {(e["actor"], e["step"]) for e in events}, events


def test_an_expired_access_token_is_refreshed_with_the_refresh_token(signed_in, demo, resources):
    sessions, key = DemoSessions(), signed_in.cookies["demo_sessionid"]
    data = sessions.load(key)
    expired = mint_expired_access_token(resources, data["demo_tokens"]["access_token"])
    data["demo_tokens"]["access_token"] = expired
    sessions.save(key, data)

    page = signed_in.get(demo + "/profile/", timeout=20)

    assert page.status_code == 200
    assert 'id="refreshed"' in page.text
    fresh = sessions.load(key)["demo_tokens"]["access_token"]
    assert fresh != expired and jwt.decode(fresh, options={"verify_signature": False})["exp"] > time.time()


def test_an_expired_access_token_that_cannot_be_refreshed_gives_a_403_saying_why(signed_in, demo, resources):
    sessions, key = DemoSessions(), signed_in.cookies["demo_sessionid"]
    data = sessions.load(key)
    data["demo_tokens"]["access_token"] = mint_expired_access_token(resources, data["demo_tokens"]["access_token"])
    data["demo_tokens"]["refresh_token"] = "revoked-or-unknown"
    sessions.save(key, data)

    page = signed_in.get(demo + "/profile/", timeout=20)

    assert page.status_code == 403
    assert "The access token has expired and could not be refreshed (invalid_grant" in page.text
    assert "The incoming token has expired" in page.text


def test_a_route_needing_a_scope_the_client_lacks_gives_a_403_naming_the_tokens_scopes(signed_in, demo):
    page = signed_in.get(demo + "/profile/admin/", timeout=20)
    assert page.status_code == 403
    assert "refused the access token (401 Unauthorized)" in page.text
    assert "Your access token's scopes: openid email profile sandbox-api/profile.read." in html.unescape(page.text)


def test_a_signed_out_visitor_asking_for_the_profile_is_sent_to_sign_in(demo):
    answer = requests.get(demo + "/profile/", allow_redirects=False, timeout=10)
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/oidc/authenticate/?next=/profile/"


def test_sign_in_starts_at_cognito_with_pkce_s256_nonce_state_and_no_secret(demo, resources):
    answer = requests.get(demo + "/oidc/authenticate/", allow_redirects=False, timeout=10)
    location = urlsplit(answer.headers["Location"])
    params = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert f"{location.scheme}://{location.netloc}{location.path}" == settings().cognito_hosted_ui_url + "/oauth2/authorize"
    assert params["client_id"] == resources.client_id and params["response_type"] == "code"
    assert params["code_challenge_method"] == "S256" and len(params["code_challenge"]) == 43
    assert len(params["state"]) == 32 and len(params["nonce"]) == 32
    assert params["redirect_uri"] == demo + "/oidc/callback/"
    assert "identity_provider" not in params  # default: Cognito's login page (seed step b, first form)
    assert "client_secret" not in params and resources.client_secret not in answer.headers["Location"]
    assert answer.cookies.get("demo_sessionid")


def sign_out_token(browser: requests.Session, demo: str) -> str:
    """The CSRF token of the sign-out form on the home page `browser` sees."""
    page = parse_page(browser.get(demo + "/", timeout=10).text)
    return next(f for f in page.forms if f.action.endswith("/oidc/logout/")).fields["csrfmiddlewaretoken"]


def test_sign_out_ends_the_session_then_goes_to_cognitos_logout_and_back(signed_in, demo, resources):
    # The CSRF secret is in the session (CSRF_USE_SESSIONS): the form's hidden field is the token, no cookie.
    assert "demo_csrftoken" not in signed_in.cookies
    csrf = sign_out_token(signed_in, demo)
    answer = signed_in.post(demo + "/oidc/logout/", data={"csrfmiddlewaretoken": csrf},
                            headers={"Referer": demo + "/"}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302
    location = urlsplit(answer.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == settings().cognito_hosted_ui_url + "/logout"
    assert parse_qs(location.query) == {"client_id": [resources.client_id], "logout_uri": [demo + "/"]}
    back = signed_in.get(answer.headers["Location"], timeout=10)
    assert back.url == demo + "/" and 'id="sign-in"' in back.text
    assert signed_in.get(demo + "/profile/", allow_redirects=False, timeout=10).status_code == 302


def test_sign_out_with_another_sessions_csrf_token_is_refused_and_keeps_the_session(signed_in, demo):
    # The CSRF secret lives in each session: a token from another signed-in browser does not match this one's.
    other = requests.Session()
    assert http_sign_in(demo, BOB, other).url == demo + "/profile/"
    for token in (sign_out_token(other, demo), ""):
        answer = signed_in.post(demo + "/oidc/logout/", data={"csrfmiddlewaretoken": token},
                                headers={"Referer": demo + "/"}, allow_redirects=False, timeout=10)
        assert answer.status_code == 403
    assert signed_in.get(demo + "/profile/", allow_redirects=False, timeout=10).status_code == 200


def test_sign_out_by_get_is_refused(demo):
    assert requests.get(demo + "/oidc/logout/", allow_redirects=False, timeout=10).status_code == 405


def start_sign_in(browser: requests.Session, demo: str) -> str:
    """Start a sign-in at the demo site; the state it sent to Cognito."""
    start = browser.get(demo + "/oidc/authenticate/", allow_redirects=False, timeout=10)
    return parse_qs(urlsplit(start.headers["Location"]).query)["state"][0]


def test_a_callback_with_a_state_this_browser_never_sent_is_refused_with_a_page_not_a_500(demo):
    browser = requests.Session()
    browser.get(demo + "/oidc/authenticate/", allow_redirects=False, timeout=10)  # a sign-in with another state
    answer = browser.get(demo + "/oidc/callback/?code=abc&state=forged-state", timeout=10)
    assert answer.status_code == 400
    assert "OIDC callback state not found in session" in answer.text


def test_a_callback_carrying_cognitos_error_shows_it(demo):
    browser = requests.Session()
    state = start_sign_in(browser, demo)
    answer = browser.get(demo + "/oidc/callback/", params={
        "error": "invalid_request", "error_description": "PreSignUp failed with error boom.", "state": state},
        timeout=10)
    assert answer.status_code == 400
    assert "Cognito answered invalid_request: PreSignUp failed with error boom." in answer.text


def test_a_callback_with_a_foreign_state_neither_shows_its_text_nor_becomes_this_browsers_flow_page(demo):
    victim = requests.Session()
    victims_state = start_sign_in(victim, demo)
    attacker = requests.Session()
    answer = attacker.get(demo + "/oidc/callback/", params={
        "error": "access_denied", "error_description": "Call +1 555 0100 to restore your account",
        "state": victims_state}, timeout=10)
    assert answer.status_code == 400
    assert "555 0100" not in answer.text
    flow_page = attacker.get(demo + "/flow/", timeout=10)
    assert victims_state not in flow_page.text


def test_a_request_on_another_host_name_is_sent_to_the_configured_one_before_any_cookie(demo):
    other = demo.replace("localhost", "127.0.0.1")
    answer = requests.get(other + "/profile/", allow_redirects=False, timeout=10)
    assert answer.status_code == 302 and answer.headers["Location"] == demo + "/profile/"
    assert "Set-Cookie" not in answer.headers


def test_the_flow_page_stays_the_same_size_however_often_the_profile_is_viewed(signed_in, demo):
    session = signed_in
    for _ in range(3):
        assert session.get(demo + "/profile/", timeout=20).status_code == 200
    few = session.get(demo + "/flow/", timeout=20)
    for _ in range(30):
        assert session.get(demo + "/profile/", timeout=20).status_code == 200
    many = session.get(demo + "/flow/", timeout=20)
    assert many.status_code == 200 and 'id="hidden-events"' in many.text
    assert len(many.content) < len(few.content) * 1.5  # the sign-in and the newest calls, not every view


def test_signing_in_moves_the_session_to_a_new_key_and_the_key_from_before_is_gone(sandbox, demo):
    # Session fixation (OWASP): the key a browser had before signing in must not become a signed-in one.
    browser = Browser()
    result = browser.sign_in(BOB["login"], stop_before=lambda url: url.startswith(demo + "/oidc/callback/"))
    before = browser.session.cookies["demo_sessionid"]
    callback = browser.session.get(result.stopped_before, allow_redirects=False, timeout=20)
    assert callback.status_code == 302 and callback.headers["Location"] == "/profile/"
    after = browser.session.cookies["demo_sessionid"]
    assert after != before
    with sqlite3.connect(DEMO_DATABASE) as db:
        keys = {key for (key,) in db.execute("SELECT session_key FROM django_session WHERE session_key IN (?, ?)",
                                             (before, after))}
    assert keys == {after}
    assert "demo_tokens" in DemoSessions().load(after)
