"""Login CSRF: the sign-in form's key works only in the browser that loaded the form (its okta_xsrf
cookie), and never from a post another site made the browser send. Refusals are 403 on the error page
and issue nothing: no okta_sid, no code."""

from __future__ import annotations

import html

import requests

from tests.mock_idp_helpers import (PASSWORD, authorize_params, cognito_client, endpoint, form_key, okta,  # noqa: F401
                                    org, query, submit_signin)


def load_form(browser: requests.Session) -> requests.Response:
    page = browser.get(endpoint("authorize"), params=authorize_params(cognito_client()), allow_redirects=False,
                       timeout=5)
    assert page.status_code == 200, page.text[:300]
    return page


def post_form(browser: requests.Session, key: str, headers: dict | None = None,
              username: str = "alice@example.com") -> requests.Response:
    return browser.post(f"{org()}/login/signin", data={"key": key, "username": username, "password": PASSWORD},
                        headers=headers or {}, allow_redirects=False, timeout=10)


def assert_refused(response: requests.Response, browser: requests.Session) -> None:
    assert response.status_code == 403 and "Location" not in response.headers, response.text[:300]
    assert response.headers["Content-Type"].startswith("text/html") and "403 Forbidden" in response.text
    code = response.text.split('id="error-code">', 1)[1].split("<", 1)[0]
    assert html.unescape(code) == "access_denied"
    assert "okta_sid" not in browser.cookies and "okta_sid" not in response.headers.get("Set-Cookie", "")


def test_the_authorize_page_sets_an_httponly_lax_okta_xsrf_cookie_for_the_whole_site(okta):
    page = load_form(requests.Session())
    cookie = next(c for c in page.raw.headers.getlist("Set-Cookie") if c.startswith("okta_xsrf="))
    attributes = {a.strip().lower() for a in cookie.split(";")[1:]}
    assert {"httponly", "samesite=lax", "path=/"} <= attributes
    assert len(cookie.split(";")[0].split("=", 1)[1]) >= 43  # 256 random bits


def test_an_attackers_form_key_posted_from_the_victims_browser_plants_no_session(okta):
    attacker, victim = requests.Session(), requests.Session()
    attackers_key = form_key(load_form(attacker).text)
    load_form(victim)  # the victim has an okta_xsrf cookie of its own
    assert_refused(post_form(victim, attackers_key, username="bob@example.com"), victim)
    # The attacker's page is untouched: in the attacker's own browser it still signs in.
    assert post_form(attacker, attackers_key, username="bob@example.com").status_code == 302


def test_a_sign_in_post_without_the_okta_xsrf_cookie_is_refused(okta):
    key = form_key(load_form(requests.Session()).text)
    cookieless = requests.Session()
    assert_refused(post_form(cookieless, key), cookieless)


def test_a_sign_in_post_with_a_foreign_origin_or_cross_site_fetch_metadata_is_refused(okta):
    for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"}):
        browser = requests.Session()
        key = form_key(load_form(browser).text)
        assert_refused(post_form(browser, key, headers=headers), browser)
        # Refused before the page was used: the same browser's own post still signs in.
        assert post_form(browser, key).status_code == 302


def test_a_same_origin_post_like_a_real_browser_sends_signs_in(okta):
    browser = requests.Session()
    key = form_key(load_form(browser).text)
    response = post_form(browser, key, headers={"Origin": org(), "Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 302 and "code" in query(response.headers["Location"])
    assert "okta_sid" in browser.cookies


def test_two_sign_in_tabs_in_one_browser_both_keep_working(okta):
    browser = requests.Session()
    first, second = load_form(browser), load_form(browser)
    assert submit_signin(browser, first, "alice@example.com").status_code == 302
    assert submit_signin(browser, second, "alice@example.com").status_code == 302
