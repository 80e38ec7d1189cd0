"""Drive the hosted UI like a browser (sandbox/testing/browser.py, stopping at the client's redirect URI),
and the Okta side of the Cognito tests: fresh Okta users (sandbox/testing/okta.py) and fault scenarios."""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from contextlib import contextmanager
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from sandbox.config import settings
from sandbox.testing import browser as testing
from sandbox.testing.okta import PASSWORD, OktaUser, admin_headers, create_okta_user

OKTA_ADMIN = admin_headers()


def ui(path: str = "") -> str:
    return settings().cognito_hosted_ui_url + path


new_okta_user = create_okta_user  # a fresh Okta user (Users API), so tests never share one


@contextmanager
def okta_scenario(scenario: dict):
    """Make Okta misbehave for the block (mock Okta's /_sandbox/scenarios), then clear it."""
    org = settings().okta_public_url
    requests.post(f"{org}/_sandbox/scenarios", headers=OKTA_ADMIN, json=scenario, timeout=10).raise_for_status()
    try:
        yield
    finally:
        requests.delete(f"{org}/_sandbox/scenarios", headers=OKTA_ADMIN, timeout=10).raise_for_status()


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize_params(resources, **override) -> dict:
    params = {"response_type": "code", "client_id": resources.client_id,
              "redirect_uri": f"{settings().demo_site_url}/oidc/callback/", "scope": "openid email profile",
              "state": f"st-{uuid.uuid4().hex}", "nonce": f"n-{uuid.uuid4().hex}", "identity_provider": "Okta"}
    params.update(override)
    return {k: v for k, v in params.items() if v is not None}


def query(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


class Browser(testing.Browser):
    """One browser: its own cookies; stops at the client's redirect URI (the demo site is not called)."""

    def __init__(self):
        super().__init__(timeout=30)
        self.http = self.session
        self.visited: list[str] = []  # every URL it was sent on to (redirects, forms)

    def _at_client(self, url: str) -> bool:
        return url.startswith(settings().demo_site_url)

    def _seen(self, result: testing.SignInResult, first: int) -> requests.Response:
        self.visited += [hop.url for hop in result.hops[first:]]
        return result.page

    def get(self, url: str) -> requests.Response:
        """Open `url` and follow redirects (no form filled, no link clicked); the last answer."""
        return self._seen(self.open(url, stop_before=self._at_client, click_idp=False), 1)

    def okta_sign_in(self, page: requests.Response, login: str, password: str = PASSWORD) -> requests.Response:
        """Post Okta's sign-in form (the page `page` shows) and follow what comes back."""
        assert page.status_code == 200, page.text[:500]
        return self._seen(self.submit(page, login, password, stop_before=self._at_client), 1)

    def sign_in(self, resources, user: OktaUser, **params) -> dict:
        """authorize → Okta → sign in → idpresponse → the client's redirect URI; its query parameters."""
        page = self.get(ui("/oauth2/authorize?" + urlencode(authorize_params(resources, **params))))
        if page.status_code == 200 and "okta-signin" in page.text:
            page = self.okta_sign_in(page, user.email)
        assert page.status_code == 302, (page.status_code, page.text[:500])
        return query(page.headers["Location"])


def exchange(resources, code: str, verifier: str | None = None, **extra) -> requests.Response:
    data = {"grant_type": "authorization_code", "code": code,
            "redirect_uri": f"{settings().demo_site_url}/oidc/callback/", **({"code_verifier": verifier} if verifier else {}),
            **extra}
    return requests.post(ui("/oauth2/token"), data=data, auth=(resources.client_id, resources.client_secret),
                         timeout=30)
