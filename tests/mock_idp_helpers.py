"""Helpers for the mock Okta's tests: URLs and clients from the seed, the sign-in form, Users API, scenarios.

Everything goes over real HTTP to the running sandbox; the OIDC client side is Authlib's, not ours."""

from __future__ import annotations

import html
import re
import secrets
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session

from sandbox.config import seed, settings
from sandbox.testing.okta import create_okta_user
from tests.sandbox_process import start_sandbox

API_TOKEN = "sandbox-okta-api-token"
PASSWORD = "Passw0rd!"
FORM_KEY = re.compile(r'name="key" value="([^"]+)"')


@pytest.fixture(scope="module")
def okta():
    """The mock Okta over real HTTP: the session's sandbox when it already serves it, otherwise
    `manage.py sandbox --parts okta` for this module (so these tests need no other part)."""
    try:
        if requests.get(f"{org()}/health", timeout=2).json().get("service") == "okta":
            yield None
            return
    except (requests.RequestException, ValueError):
        pass
    process = start_sandbox(["--parts", "okta"], name="mock-okta")
    yield process
    process.stop()


def issuer() -> str:
    return settings().okta_issuer


def org() -> str:
    return settings().okta_public_url


def endpoint(name: str) -> str:
    return f"{issuer()}/v1/{name}"


def client(client_id: str) -> dict:
    return next(c for c in seed()["okta"]["clients"] if c["client_id"] == client_id)


COGNITO = "0oa1cognito0sandbox7"
PUBLIC = "0oa1public0pkce0sbx7"


def cognito_client() -> dict:
    return client(COGNITO)


def public_client() -> dict:
    return client(PUBLIC)


def authlib_session(c: dict, scope: str = "openid email profile", auth_method: str | None = None) -> OAuth2Session:
    """An Authlib OAuth2Session for a seeded client, PKCE S256 on."""
    return OAuth2Session(c["client_id"], c.get("client_secret"), scope=scope, redirect_uri=c["redirect_uris"][0],
                         code_challenge_method="S256",
                         token_endpoint_auth_method=auth_method or ("none" if not c.get("client_secret")
                                                                    else "client_secret_basic"))


def authorize_params(c: dict, **overrides) -> dict:
    params = {"client_id": c["client_id"], "redirect_uri": c["redirect_uris"][0], "response_type": "code",
              "scope": "openid email profile", "state": secrets.token_urlsafe(12),
              "nonce": secrets.token_urlsafe(12), "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
              "code_challenge_method": "S256"}
    params.update(overrides)
    return {k: v for k, v in params.items() if v is not None}


def form_key(page: str) -> str:
    match = FORM_KEY.search(page)
    assert match, f"no sign-in form in:\n{page[:2000]}"
    return html.unescape(match.group(1))


def submit_signin(browser: requests.Session, page: requests.Response, username: str, password: str = PASSWORD):
    """Post the sign-in form found on `page` as a browser would; no redirects followed."""
    return browser.post(f"{org()}/login/signin", data={"key": form_key(page.text), "username": username,
                                                        "password": password}, allow_redirects=False, timeout=10)


def sign_in(browser: requests.Session, authorize_url: str, username: str = "alice@example.com",
            password: str = PASSWORD) -> requests.Response:
    """Open the authorize URL, sign in, and return the redirect back to the client (a 302)."""
    page = browser.get(authorize_url, allow_redirects=False, timeout=10)
    assert page.status_code == 200, page.text[:500]
    return submit_signin(browser, page, username, password)


def query(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def admin_headers() -> dict:
    return {"Authorization": f"SSWS {API_TOKEN}", "Accept": "application/json"}


def create_user(first: str = "Test", last: str = "User", activate: bool = True, password: str | None = PASSWORD):
    """A fresh Okta user (sandbox/testing/okta.py); the Users API's JSON."""
    return create_okta_user(first, last, login=f"user-{secrets.token_hex(6)}@example.com", password=password,
                            activate=activate, org_url=org()).raw


@contextmanager
def scenario(body: dict):
    """Switch a scenario on for the block; clear every scenario after it."""
    response = requests.post(f"{org()}/_sandbox/scenarios", json=body, headers=admin_headers(), timeout=10)
    assert response.status_code == 200, response.text
    try:
        yield response.json()
    finally:
        requests.delete(f"{org()}/_sandbox/scenarios", headers=admin_headers(), timeout=10)


def code_flow(c: dict, username: str = "alice@example.com", scope: str = "openid email profile",
              auth_method: str | None = None) -> tuple[OAuth2Session, dict]:
    """A complete Authlib code flow with PKCE: (the session, the token response)."""
    session = authlib_session(c, scope, auth_method)
    verifier = secrets.token_urlsafe(48)
    url, state = session.create_authorization_url(endpoint("authorize"), code_verifier=verifier,
                                                  nonce=secrets.token_urlsafe(12))
    back = sign_in(requests.Session(), url, username)
    assert back.status_code == 302, back.text[:500]
    token = session.fetch_token(endpoint("token"), authorization_response=back.headers["Location"],
                                code_verifier=verifier, state=state)
    return session, token
