"""A single-page app signs in from its own origin in headless Chromium, CORS enforced (divergences #12):
a public app client (no secret) made through boto3, the code flow with PKCE through the hosted UI and
Okta, the code exchanged with `fetch`, the ID token checked against the JWKS, then userInfo, then the refresh
token revoked and a refresh refused. The page
(tests/spa/) is static and served on another localhost port; it reads Cognito's discovery document
cross-origin, as Amplify and oidc-client-ts do. The AWS API stays unreadable from the page."""

from __future__ import annotations

import functools
import json
import threading
import uuid
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect, sync_playwright

from sandbox.aws import client
from sandbox.config import settings
from tests.browser import launch
from tests.functions_cognito.browser import PASSWORD, new_okta_user
from tests.sandbox_process import ARTIFACTS

pytestmark = pytest.mark.browser
SPA = Path(__file__).parent / "spa"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def spa_origin():
    """The static page on an ephemeral localhost port: an origin no part of the sandbox shares."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(SPA)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def public_client(resources, spa_origin):
    """A public app client for the page, as a SPA's would be: no secret, code flow, Okta."""
    idp = client("cognito-idp")
    created = idp.create_user_pool_client(
        UserPoolId=resources.user_pool_id, ClientName=f"spa-{uuid.uuid4().hex[:8]}", GenerateSecret=False,
        AllowedOAuthFlows=["code"], AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthScopes=["openid", "email", "profile"], CallbackURLs=[spa_origin + "/"],
        SupportedIdentityProviders=["Okta"])["UserPoolClient"]
    yield created["ClientId"]
    idp.delete_user_pool_client(UserPoolId=resources.user_pool_id, ClientId=created["ClientId"])


def test_a_single_page_app_with_a_public_client_signs_in_and_reads_userinfo_cross_origin(
        resources, spa_origin, public_client, request):
    start = spa_origin + "/?" + urlencode({"client_id": public_client, "issuer": resources.issuer,
                                           "identity_provider": "Okta",
                                           "aws_endpoint": settings().aws_endpoint_url})
    user = new_okta_user("Spa", "Page")
    with sync_playwright() as playwright:
        browser = launch(playwright)  # no --disable-web-security: Chromium enforces CORS
        page = browser.new_context().new_page()
        page.set_default_timeout(20_000)
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text))
        try:
            page.goto(start)
            page.wait_for_url(settings().okta_issuer + "/v1/authorize?**")
            page.fill("#okta-signin-username", user.email)
            page.fill("#okta-signin-password", PASSWORD)
            page.click("#okta-signin-submit")
            page.wait_for_url(spa_origin + "/?code=**")
            expect(page.locator("#status")).to_have_text("signed in")
            claims = json.loads(page.locator("#claims").inner_text())
            info = json.loads(page.locator("#userinfo").inner_text())
            aws_api = page.locator("#aws-api").inner_text()
            revoke = page.locator("#revoke").inner_text()
        except BaseException:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
            print("page console:", console, "error:", page.locator("#error").inner_text())
            raise
        finally:
            browser.close()
    assert claims["aud"] == public_client and claims["iss"] == resources.issuer
    assert claims["cognito:username"] == info["username"]
    assert info["email"] == user.email
    assert revoke == "200 400 invalid_grant"  # revoked at /oauth2/revoke, then refused at /oauth2/token
    assert aws_api == "blocked"
