"""Drive the hosted UI like a browser: follow Location headers with `requests`, post Okta's sign-in form.

Also the Okta side of the Cognito tests: fresh Okta users (Users API) and fault scenarios."""

from __future__ import annotations

import base64
import hashlib
import html
import re
import secrets
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import requests

from sandbox.config import settings

OKTA_ADMIN = {"Authorization": "SSWS sandbox-okta-api-token"}
PASSWORD = "Passw0rd!"
FORM = re.compile(r'<form[^>]*action="([^"]+)"')
FORM_KEY = re.compile(r'name="key" value="([^"]+)"')


def ui(path: str = "") -> str:
    return settings().cognito_hosted_ui_url + path


@dataclass
class OktaUser:
    id: str
    email: str
    first: str
    last: str

    @property
    def username(self) -> str:
        """Its Cognito user name: the sandbox pool is not case sensitive, so the whole name is lower case
        (amplify-js#13844; hosted_ui/federation/attributes.py)."""
        return f"okta_{self.id}".lower()


def new_okta_user(first: str = "Test", last: str = "User") -> OktaUser:
    """A fresh Okta user (Users API), so tests never share one."""
    email = f"{first.lower()}.{uuid.uuid4().hex[:10]}@example.com"
    response = requests.post(f"{settings().okta_public_url}/api/v1/users?activate=true", headers=OKTA_ADMIN,
                             json={"profile": {"firstName": first, "lastName": last, "email": email, "login": email},
                                   "credentials": {"password": {"value": PASSWORD}}}, timeout=10)
    assert response.status_code == 200, response.text
    return OktaUser(response.json()["id"], email, first, last)


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


class Browser:
    """One browser: its own cookies; stops at the client's redirect URI (the demo site is not called)."""

    def __init__(self):
        self.http = requests.Session()
        self.visited: list[str] = []

    def get(self, url: str) -> requests.Response:
        return self.follow(self.http.get(url, allow_redirects=False, timeout=30))

    def follow(self, response: requests.Response) -> requests.Response:
        stop = settings().demo_site_url
        while response.status_code in (301, 302, 303) and not response.headers["Location"].startswith(stop):
            location = urljoin(response.url, response.headers["Location"])
            self.visited.append(location)
            response = self.http.get(location, allow_redirects=False, timeout=30)
        return response

    def okta_sign_in(self, page: requests.Response, login: str, password: str = PASSWORD) -> requests.Response:
        """Post Okta's sign-in form (the page `page` shows) and follow what comes back."""
        assert page.status_code == 200, page.text[:500]
        action = urljoin(page.url, html.unescape(FORM.search(page.text).group(1)))
        key = html.unescape(FORM_KEY.search(page.text).group(1))
        response = self.http.post(action, data={"key": key, "username": login, "password": password},
                                  allow_redirects=False, timeout=30)
        return self.follow(response)

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
