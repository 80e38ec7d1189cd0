"""The HTTP clients of every call this server makes (token, userInfo, key set, profile API, flow collector).

A `requests.Session` shared by every request thread, instead of a new Session, connection pool and
connection per call (`requests.get`): connections are kept open between sign-ins wherever the server allows
(the sandbox's own parts are served by waitress, which keeps them alive: sandbox/serve.py). The
connection pool (urllib3's) is thread-safe; the one shared mutable part of a Session, its cookie jar, is
made to keep nothing: a back-channel answer's cookies must never ride along on another user's call.
Callers still pass their own `timeout` on each call.

The environment (proxy and CA bundle variables) is read once, when the session is made
(sandbox/requests_session.py), not on every call.

The two calls of every sign-in or page, the token POST and the profile API's GET, go through `call`: with no
proxy configured, on kept http.client connections (sandbox/kept_http.py: requests' wire request and TLS
trust at a third of its CPU); with one, through the session, which applies it.
"""

from __future__ import annotations

import http.cookiejar

import requests
from requests.adapters import HTTPAdapter

from sandbox import requests_session
from sandbox.config import settings as sandbox_settings
from sandbox.kept_http import Answer, KeptConnections

# Enough kept-alive connections per host for the concurrent sign-ins the sandbox is tested with (50):
# beyond it urllib3 opens extra connections and drops them after use.
POOL_SIZE = 32


class KeepNoCookies(http.cookiejar.DefaultCookiePolicy):
    def set_ok(self, cookie, request):
        return False

    def return_ok(self, cookie, request):
        return False


def new_session() -> requests.Session:
    session = requests_session.new_session()
    session.cookies.set_policy(KeepNoCookies())
    adapter = HTTPAdapter(pool_connections=8, pool_maxsize=POOL_SIZE)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


session = new_session()
kept = KeptConnections(verify=session.verify)


def call(method: str, url: str, *, headers: dict, body: bytes | None = None,
         timeout: float) -> Answer | requests.Response:
    """One back-channel call; requests' exceptions when it fails. No redirect is followed (a token or API
    answer is never one to follow)."""
    if session.trust_env:  # a proxy is configured: requests applies it (and NO_PROXY)
        return session.request(method, url, headers=headers, data=body, timeout=timeout, allow_redirects=False)
    return kept.request(method, url, headers=headers, body=body, timeout=timeout)


def for_browser(value):
    """`value` (a string, or lists/dicts of them) with every back-channel address put back as the browser's
    front-channel one: the pages show where a person can go (http://localhost:4566/...), not where this
    server went (http://aws:4566/... in compose)."""
    if isinstance(value, str):
        return sandbox_settings().frontchannel(value)
    if isinstance(value, dict):
        return {key: for_browser(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(for_browser(item) for item in value)
    return value
