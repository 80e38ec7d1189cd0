"""A browser without a browser, and the sign-ins it does: through the real Cognito hosted UI and Okta.

`Browser` is a requests.Session that goes where the pages lead as a browser does: 301/302/303 become a GET
of the Location, 307/308 repeat the method and body; a page with a password form (Okta's sign-in page) is
filled in and posted with its hidden fields; Cognito's /login page is "clicked" (the IdP's link). Its
cookies are one jar, as a browser's. `sign_in_client()` is an OIDC client's authorization-code flow with
PKCE against the hosted UI (state, nonce, S256), ending with the token exchange.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import requests

from pytest_wf05.okta import OktaUser

MAX_HOPS = 25


@dataclass(frozen=True)
class AppClient:
    """A Cognito app client: the demo site's, or one registered for your app's callback URL."""

    client_id: str
    client_secret: str
    callback_urls: tuple[str, ...]
    scopes: tuple[str, ...] = ("openid", "email", "profile")


@dataclass
class SignIn:
    """What a sign-in ended with."""

    tokens: dict  # /oauth2/token's answer: id_token, access_token, refresh_token, expires_in, token_type
    flow_id: str  # the client's OAuth state: the flow's recorded events are under it
    user: OktaUser
    pages: list[str] = field(default_factory=list)  # every URL the browser opened

    @property
    def id_token(self) -> str:
        return self.tokens["id_token"]

    @property
    def access_token(self) -> str:
        return self.tokens["access_token"]

    @property
    def id_claims(self) -> dict:
        """The ID token's payload, decoded, NOT verified (verify it with the pool's JWKS in your test)."""
        payload = self.id_token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


class _Page(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []  # {"action", "method", "fields", "password"}
        self.links: list[dict] = []
        self._form = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get").upper(), "fields": {},
                          "password": False}
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None and a.get("name"):
            self._form["fields"][a["name"]] = a.get("value", "")
            self._form["password"] |= a.get("type", "").lower() == "password"
        elif tag == "a" and a.get("href"):
            self.links.append(a)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


class SignInFailed(AssertionError):
    pass


class Browser:
    """One browser profile: a cookie jar (a requests.Session, usable for your app afterwards)."""

    def __init__(self, cognito_url: str, identity_provider: str = "Okta", timeout: float = 30.0):
        self.session = requests.Session()
        self.cognito_url = cognito_url
        self.identity_provider = identity_provider
        self.timeout = timeout
        self.pages: list[str] = []
        self.authorize_state: str | None = None  # the state of the last /oauth2/authorize opened

    def open(self, url: str, user: OktaUser | None = None, stop_before=None) -> requests.Response | str:
        """Open url and go wherever the pages lead, signing in as `user` on a password form. Returns the
        last response, or the URL not opened because `stop_before(url)` said so."""
        method, data, submitted, response = "GET", None, False, None
        for _ in range(MAX_HOPS):
            if stop_before is not None and stop_before(url):
                return url
            self._note(url)
            response = self.session.request(method, url, data=data, allow_redirects=False, timeout=self.timeout)
            if response.is_redirect:
                if response.status_code not in (307, 308):  # 307/308 keep method and body (RFC 9110 §15.4.8)
                    method, data = "GET", None
                url = urljoin(url, response.headers["Location"])
                continue
            if response.status_code != 200 or "html" not in response.headers.get("Content-Type", ""):
                return response
            page = _Page(response.text)
            form = next((f for f in page.forms if f["password"]), None)
            if form is not None and user is not None and not submitted:
                fields = dict(form["fields"])
                name = next((k for k in fields if k in ("username", "identifier", "login", "email")), "username")
                secret = next((k for k in fields if "pass" in k), "password")
                fields[name], fields[secret] = user.login, user.password
                method, data, url = form["method"], fields, urljoin(response.url, form["action"] or response.url)
                submitted = True  # a second password form means the credentials were refused
                continue
            link = self._identity_provider_link(response, page)
            if link is None:
                return response
            method, data, url = "GET", None, link
        raise SignInFailed(f"more than {MAX_HOPS} hops: {self.pages[-5:]}")

    def _note(self, url: str) -> None:
        self.pages.append(url)
        if url.startswith(self.cognito_url + "/oauth2/authorize"):
            self.authorize_state = parse_qs(urlsplit(url).query).get("state", [None])[0]

    def _identity_provider_link(self, response: requests.Response, page: _Page) -> str | None:
        """On Cognito's /login page, the IdP's button (a person clicks "Sign in with Okta")."""
        if not response.url.startswith(self.cognito_url + "/login"):
            return None
        for link in page.links:
            if link.get("id") == f"idp-{self.identity_provider}" or (
                    "idp" in link.get("class", "").split() and self.identity_provider in link["href"]):
                return urljoin(response.url, link["href"])
        return None

    def sign_in_app(self, start_url: str, user: OktaUser) -> requests.Response:
        """From your app's "Sign in" URL (e.g. mozilla-django-oidc's /oidc/authenticate/) through Cognito and
        Okta back to your app; the session then carries your app's cookies."""
        response = self.open(start_url, user)
        if isinstance(response, str) or response.status_code >= 400:
            raise SignInFailed(f"the sign-in stopped at {self.pages[-1]}: "
                               f"{getattr(response, 'status_code', '')} {getattr(response, 'text', '')[:500]}")
        return response


def sign_in_client(cognito_url: str, identity_provider: str, client: AppClient, user: OktaUser,
                   scopes: tuple[str, ...] | None = None, timeout: float = 30.0) -> SignIn:
    """An OIDC client's sign-in: /oauth2/authorize (code, PKCE S256, state, nonce) -> Okta's sign-in page ->
    back to the client's redirect URI (not opened: the code is read from it) -> POST /oauth2/token."""
    browser = Browser(cognito_url, identity_provider, timeout)
    redirect_uri = client.callback_urls[0]
    state, nonce, verifier = secrets.token_urlsafe(16), secrets.token_urlsafe(16), secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = {"response_type": "code", "client_id": client.client_id, "redirect_uri": redirect_uri,
             "scope": " ".join(scopes or client.scopes), "state": state, "nonce": nonce,
             "code_challenge": challenge, "code_challenge_method": "S256", "identity_provider": identity_provider}
    back = browser.open(f"{cognito_url}/oauth2/authorize?{urlencode(query)}", user,
                        stop_before=lambda url: url.startswith(redirect_uri))
    if not isinstance(back, str):
        raise SignInFailed(f"the sign-in did not come back to {redirect_uri}: stopped at {browser.pages[-1]} "
                           f"({back.status_code}) {back.text[:500]}")
    answer = {k: v[0] for k, v in parse_qs(urlsplit(back).query).items()}
    if answer.get("state") != state:
        raise SignInFailed(f"state mismatch on the redirect: {back}")
    if "code" not in answer:
        raise SignInFailed(f"the redirect carries no code: {answer.get('error')}: {answer.get('error_description')}")
    response = requests.post(f"{cognito_url}/oauth2/token", auth=(client.client_id, client.client_secret), timeout=timeout,
                             data={"grant_type": "authorization_code", "code": answer["code"],
                                   "redirect_uri": redirect_uri, "code_verifier": verifier})
    if response.status_code != 200:
        raise SignInFailed(f"/oauth2/token answered {response.status_code}: {response.text}")
    tokens = response.json()
    signed_in = SignIn(tokens, state, user, browser.pages)
    if signed_in.id_claims.get("nonce") != nonce:
        raise SignInFailed("the ID token's nonce is not the one sent")
    return signed_in
