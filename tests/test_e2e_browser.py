"""End to end in a real headless Chromium: the demo site, Cognito's hosted UI and Okta's sign-in page,
the profile API's answer with Alice's DynamoDB record, a second sign-in without a second PreSignUp, and
sign-out. Seed steps a-n, driven through the pages a person would use. A screenshot of the page is saved
to test-artifacts/ when a step fails."""

from __future__ import annotations

import contextlib
import re

import pytest
import requests
from playwright.sync_api import Page, expect, sync_playwright

from sandbox.config import seed, settings
from tests.browser import launch
from tests.flows import flow_events, has_steps
from tests.sandbox_process import ARTIFACTS

pytestmark = pytest.mark.browser
ALICE = next(u for u in seed()["okta"]["users"] if u["login"] == "alice@example.com")


@pytest.fixture
def page(sandbox, request):
    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context()
        page = context.new_page()
        page.set_default_timeout(20_000)
        try:
            yield page
        finally:
            if getattr(request.node, "failed_step", None):
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
            context.close()
            browser.close()


@contextlib.contextmanager
def step(request, name: str):
    """Mark which step failed, so the page fixture saves a screenshot of it."""
    try:
        yield
    except BaseException:
        request.node.failed_step = name
        raise


def sign_in_through_cognito_and_okta(page: Page, demo: str) -> None:
    page.goto(demo + "/")
    page.click("#sign-in")
    # Seed step b, first form: Cognito's own login page with the federation button.
    page.wait_for_url(re.compile(re.escape(settings().cognito_hosted_ui_url) + r"/login\?"))
    page.click("#idp-Okta")
    okta_form = page.locator("#okta-signin-username")
    profile = page.locator("#api-answer")
    expect(okta_form.or_(profile)).to_be_visible()
    if okta_form.is_visible():  # no Okta session yet (first sign-in in this browser)
        assert page.url.startswith(settings().okta_issuer + "/v1/authorize")
        okta_form.fill(ALICE["login"])
        page.fill("#okta-signin-password", ALICE["password"])
        page.click("#okta-signin-submit")
    page.wait_for_url(demo + "/profile/")


def test_alice_signs_in_sees_her_record_signs_in_again_without_a_second_presignup_and_signs_out(page, request):
    demo = settings().demo_site_url

    with step(request, "first sign-in"):
        sign_in_through_cognito_and_okta(page, demo)
        expect(page.locator("#api-status")).to_have_text("200")
        record = page.locator("#section-profile")
        expect(record).to_contain_text("alice@example.com")
        expect(record).to_contain_text("Alice")
        expect(record).to_contain_text("Anderson")
        expect(record).to_contain_text(f"okta_{ALICE['id']}".lower())
        expect(page.locator("#who")).to_have_text("Alice Anderson")

    with step(request, "flow page of the first sign-in"):
        page.goto(demo + "/flow/")
        first_flow = page.locator("#flow-id").inner_text()
        expect(page.locator("#sequence")).to_be_visible()
        first = flow_events(first_flow, has_steps("abcdefghijklmn"))
        steps = [e["step"] for e in first]
        for letter in "abcdefghijklmn":
            assert letter in steps, f"step {letter} missing from the first sign-in's flow: {steps}"
        assert steps.count("m") == 1
        expect(page.locator("#step-m .event")).to_have_count(1)
        # Step n, recorded by the AWS endpoint where the trigger's PutItem arrived: Lambda -> DynamoDB.
        expect(page.locator("#step-n .event")).to_have_count(1)
        expect(page.locator("#step-n")).to_contain_text("PutItem into sandbox-user-details: 200 OK")
        expect(page.locator("#sequence .lifeline", has_text="DynamoDB")).to_have_count(1)
        expect(page.locator("#step-g")).to_contain_text("signature: valid")
        expect(page.locator("#stored-item")).to_contain_text("alice@example.com")

    with step(request, "sign out"):
        page.click("#sign-out")
        page.wait_for_url(demo + "/")
        expect(page.locator("#sign-in")).to_be_visible()
        page.goto(demo + "/profile/")  # signed out: the profile starts a new sign-in
        page.wait_for_url(re.compile(re.escape(settings().cognito_hosted_ui_url) + r"/login\?"))

    with step(request, "second sign-in"):
        sign_in_through_cognito_and_okta(page, demo)
        expect(page.locator("#section-profile")).to_contain_text("alice@example.com")
        page.goto(demo + "/flow/")
        second_flow = page.locator("#flow-id").inner_text()
        assert second_flow != first_flow
        second = [e["step"] for e in flow_events(second_flow, has_steps("abefghk"))]
        assert not {"l", "m", "n"} & set(second), second  # a returning user: no PreSignUp, no new user
        assert {"a", "b", "e", "f", "g", "h", "k"} <= set(second), second
        expect(page.locator("#step-m")).to_contain_text("Not recorded")

    with step(request, "final sign-out"):
        page.click("#sign-out")
        page.wait_for_url(demo + "/")
        expect(page.locator("#sign-in")).to_be_visible()
        # The browser's cookies no longer open the profile: it sends them to sign in again.
        cookies = {c["name"]: c["value"] for c in page.context.cookies(demo)}
        again = requests.get(demo + "/profile/", cookies=cookies, allow_redirects=False, timeout=10)
        assert again.status_code == 302 and again.headers["Location"].startswith("/oidc/authenticate/")
