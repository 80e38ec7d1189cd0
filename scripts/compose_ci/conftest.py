"""The compose stack as a person on the host sees it: one headless Chromium (Debian's, via Playwright) that
keeps its cookies for the whole run, on the published front-channel ports. Run by scripts/compose-ci.sh
inside the engine's network namespace, with DOCKER_HOST pointing at that engine."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from sandbox.config import seed
from tests.browser import launch

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
COMPOSE = ["docker", "compose", "-f", str(ROOT / "compose.yaml")]
# The front channel: compose.yaml's published ports, as the browser on the host opens them.
DEMO, COGNITO, AWS = "http://localhost:8000", "http://localhost:9229", "http://localhost:4566"
OKTA_ISSUER = "http://localhost:9000/oauth2/default"
ALICE = next(u for u in seed()["okta"]["users"] if u["login"] == "alice@example.com")
# What a browser cannot open: a service's name on the compose network.
BACK_CHANNEL = re.compile(r"https?://(aws|okta|cognito|demo|provision)(:\d+)?/")


def compose(*args: str, timeout: float = 300) -> str:
    """`docker compose ARGS`; its output, or a failure with it."""
    done = subprocess.run([*COMPOSE, *args], capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"docker compose {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


PHASES = {"test_signin": "sign-in", "test_lifecycle": "lifecycle"}


_phase_start = [time.monotonic()]  # the first phase includes starting the browser


@pytest.fixture(scope="module", autouse=True)
def phase(request):
    """Each module is a phase of the script, timed from the end of the one before; its time goes to the
    script's summary (COMPOSE_CI_PHASES)."""
    yield
    name = PHASES.get(request.module.__name__, request.module.__name__)
    took = time.monotonic() - _phase_start[0]
    _phase_start[0] = time.monotonic()
    print(f"\n== compose-ci: {name} done in {took:.0f}s")
    if os.environ.get("COMPOSE_CI_PHASES"):
        with open(os.environ["COMPOSE_CI_PHASES"], "a") as out:
            out.write(f"{name} {took:.0f}s\n")


@pytest.fixture(scope="session")
def browser_context():
    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context()
        try:
            yield context
        finally:
            context.close()
            browser.close()


@pytest.fixture
def page(browser_context, request):
    page = browser_context.new_page()
    page.set_default_timeout(30_000)
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"compose-{request.node.name}.png"), full_page=True)
    page.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report


def sign_in(page: Page) -> None:
    """The demo site's Sign in -> Cognito's login page -> "Okta" -> Okta's form (unless Okta remembers
    this browser) -> back to the profile page."""
    page.goto(DEMO + "/")
    page.click("#sign-in")
    page.wait_for_url(re.compile(re.escape(COGNITO) + r"/login\?"))
    page.click("#idp-Okta")
    okta_form, profile = page.locator("#okta-signin-username"), page.locator("#api-answer")
    expect(okta_form.or_(profile)).to_be_visible()
    if okta_form.is_visible():
        assert page.url.startswith(OKTA_ISSUER + "/v1/authorize"), page.url
        okta_form.fill(ALICE["login"])
        page.fill("#okta-signin-password", ALICE["password"])
        page.click("#okta-signin-submit")
    page.wait_for_url(DEMO + "/profile/")


def expect_alices_profile(page: Page) -> None:
    """The profile page: the API's 200 and Alice's DynamoDB record (written by the PreSignUp Lambda; federated
    user names are lower case, prefix included)."""
    expect(page.locator("#api-status")).to_have_text("200")
    record = page.locator("#section-profile")
    for text in ("alice@example.com", "Alice", "Anderson", f"okta_{ALICE['id']}".lower()):
        expect(record).to_contain_text(text)


def id_token_claim(page: Page, claim: str) -> str:
    return page.locator(f"xpath=//tr[th[normalize-space()='{claim}']]/td").first.text_content().strip()
