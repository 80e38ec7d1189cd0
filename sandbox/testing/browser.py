"""A browser without a browser: a `requests.Session` that signs in to the demo site as a person would.

It starts at the demo site's sign-in URL and follows what comes back exactly as a browser does: 301/302/303
become a GET of the Location, 307/308 repeat the method and body; a page with a password form is filled
in and posted with its hidden fields to its `action`; Cognito's `/login` page is "clicked" (the IdP's
link). Cookies live in one jar, shared by every localhost port, as in a browser. It ends on the demo
site's profile page, which calls the API.

    from sandbox.testing.browser import Browser
    result = Browser().sign_in("alice@example.com", "Passw0rd!")
    result.ok, result.api_status, result.seconds, result.hops

`open(url, ...)` walks from any URL, and `submit(page, ...)` from a sign-in form already on screen; both
can stop before a URL (e.g. the client's redirect URI, to take the code themselves). The one browser-like
driver of the benchmark (`python -m bench`), the test suite and anything else that signs in.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

from sandbox.aws_urls import HOSTED_UI_PATHS
from sandbox.config import Settings, settings
from sandbox.requests_session import new_session
from sandbox.testing.okta import PASSWORD

MAX_HOPS = 20
API_STATUS = re.compile(r'id="api-status">\s*(\d{3})\s*<')


def urls_at_offset(offset: int) -> Settings:
    """The sandbox's default URLs moved by `offset` (a second sandbox beside the configured one)."""
    def url(port: int) -> str:
        return f"http://localhost:{port + offset}"

    return replace(settings(), aws_endpoint_url=url(4566), aws_public_url=url(4566), okta_public_url=url(9000),
                   okta_issuer=url(9000) + "/oauth2/default", cognito_hosted_ui_url=url(9229),
                   demo_site_url=url(8000))


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str]
    has_password: bool


@dataclass
class Link:
    href: str
    id: str
    css: str


class _PageParser(HTMLParser):
    """Forms (with their inputs) and links of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[Link] = []
        self._form: Form | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower(), {}, False)
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None and a.get("name"):
            self._form.fields[a["name"]] = a.get("value", "")
            self._form.has_password |= a.get("type", "text").lower() == "password"
        elif tag == "a" and a.get("href"):
            self.links.append(Link(a["href"], a.get("id", ""), a.get("class", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def parse_page(text: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(text)
    parser.close()
    return parser


@dataclass
class Hop:
    method: str
    url: str
    status: int
    ms: float


@dataclass
class SignInResult:
    """Where the browser ended, and how it got there."""

    page: requests.Response
    urls: Settings
    hops: list[Hop] = field(default_factory=list)
    seconds: float = 0.0
    redirect_errors: list[dict[str, str]] = field(default_factory=list)
    stopped_before: str | None = None  # the URL not followed, when open() was told to stop

    @property
    def ok(self) -> bool:
        """On the demo site's profile page, which the API answered with 200."""
        return self.page.status_code == 200 and self.on_profile and self.api_status == 200

    @property
    def on_profile(self) -> bool:
        return self.page.url.startswith(self.urls.demo_site_url + "/profile/")

    @property
    def api_status(self) -> int | None:
        match = API_STATUS.search(self.page.text)
        return int(match.group(1)) if match else None

    @property
    def error(self) -> dict[str, str] | None:
        """The last OAuth error the browser was redirected with (`error`, `error_description`), if any."""
        return self.redirect_errors[-1] if self.redirect_errors else None

    def statuses(self) -> list[int]:
        return [h.status for h in self.hops]


class Browser:
    """One browser profile: a cookie jar and the pages it walks through."""

    def __init__(self, timeout: float = 15.0, identity_provider: str = "Okta", urls: Settings | None = None):
        self.session = new_session()  # the environment read once: a browser does not read it per request
        self.timeout = timeout
        self.identity_provider = identity_provider
        self.urls = urls or settings()

    def close(self) -> None:
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- one request, as a browser sends it -------------------------------------------------------------

    def _send(self, method: str, url: str, result: SignInResult, data: dict | None = None) -> requests.Response:
        started = time.perf_counter()
        response = self.session.request(method, url, data=data, allow_redirects=False, timeout=self.timeout)
        result.hops.append(Hop(method, url, response.status_code, (time.perf_counter() - started) * 1000))
        location = response.headers.get("Location", "")
        if response.is_redirect and "error=" in urlsplit(location).query:
            query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
            result.redirect_errors.append({k: query.get(k, "") for k in ("error", "error_description", "state")})
        return response

    def open(self, url: str, username: str | None = None, password: str = PASSWORD,
             method: str = "GET", data: dict | None = None, stop_before=None, click_idp: bool = True) -> SignInResult:
        """Open `url` and go wherever the pages lead (sign-in forms filled with `username`; on Cognito's
        /login page, our IdP's link clicked unless `click_idp` is false), until a page asks for nothing
        more, or until the next URL is one `stop_before(url)` says not to open."""
        return self._walk(SignInResult(page=None, urls=self.urls), method, url, data, username, password,  # type: ignore[arg-type]
                          stop_before, click_idp)

    def submit(self, page: requests.Response, username: str, password: str = PASSWORD,
               stop_before=None) -> SignInResult:
        """Fill in and post the password form of `page` (already on screen), then go on as open() does."""
        form = next(f for f in parse_page(page.text).forms if f.has_password)
        method, data, url = self._filled(form, page, username, password)
        return self._walk(SignInResult(page=page, urls=self.urls), method, url, data, None, password, stop_before,
                          click_idp=False)

    @staticmethod
    def _filled(form: Form, page: requests.Response, username: str, password: str) -> tuple[str, dict, str]:
        fields = dict(form.fields)
        user_field = next((k for k in fields if k in ("username", "identifier", "login", "email")), "username")
        pass_field = next((k for k in fields if "pass" in k), "password")
        fields[user_field], fields[pass_field] = username, password
        return form.method.upper(), fields, urljoin(page.url, form.action or page.url)

    def _walk(self, result: SignInResult, method: str, url: str, data: dict | None, username: str | None,
              password: str, stop_before, click_idp: bool) -> SignInResult:
        started = time.perf_counter()
        submitted = username is None  # a second form means the credentials were refused: stop there
        for _ in range(MAX_HOPS):
            if stop_before is not None and result.page is not None and stop_before(url):
                result.stopped_before = url
                break
            response = self._send(method, url, result, data)
            result.page = response
            if response.is_redirect:
                if response.status_code not in (307, 308):  # 307/308: same method and body (RFC 9110 §15.4.8)
                    method, data = "GET", None
                url = urljoin(url, response.headers["Location"])
                continue
            if response.status_code != 200 or "html" not in response.headers.get("Content-Type", ""):
                break
            page = parse_page(response.text)
            form = next((f for f in page.forms if f.has_password), None)
            if form is not None and not submitted:
                method, data, url = self._filled(form, response, username, password)
                submitted = True
                continue
            link = self._identity_provider_link(response, page) if click_idp else None
            if link is None:
                break
            method, data, url = "GET", None, link
        result.seconds += time.perf_counter() - started
        return result

    def _identity_provider_link(self, response: requests.Response, page: _PageParser) -> str | None:
        """On Cognito's /login page, the link of our IdP (a person clicks "Sign in with Okta")."""
        if not response.url.startswith(self.urls.cognito_hosted_ui_url + HOSTED_UI_PATHS["login"]):
            return None
        for link in page.links:
            if link.id == f"idp-{self.identity_provider}" or ("idp" in link.css.split()
                                                               and self.identity_provider in link.href):
                return urljoin(response.url, link.href)
        return None

    # -- the demo site's journeys -----------------------------------------------------------------------

    def sign_in(self, username: str, password: str = PASSWORD, profile: bool = True,
                stop_before=None) -> SignInResult:
        """From the demo site's "Sign in" to its profile page (or wherever the flow stopped)."""
        demo = self.urls.demo_site_url
        result = self.open(f"{demo}/oidc/authenticate/", username, password, stop_before=stop_before)
        if (profile and result.stopped_before is None and result.page.status_code == 200 and not result.on_profile
                and result.page.url.startswith(demo)):
            more = self.open(f"{demo}/profile/")
            result.hops += more.hops
            result.page = more.page
            result.seconds += more.seconds
        return result
