"""One HTTP client for every call this server makes (token, userInfo, key set, profile API, flow collector).

A `requests.Session` shared by every request thread keeps connections to the hosted UI and the AWS
endpoint open between sign-ins, instead of a new pool and TCP connection per call (`requests.get`). The
connection pool (urllib3's) is thread-safe; the one shared mutable part of a Session, its cookie jar, is
made to keep nothing: a back-channel answer's cookies must never ride along on another user's call.
Callers still pass their own `timeout` on each call.
"""

from __future__ import annotations

import http.cookiejar

import requests
from requests.adapters import HTTPAdapter

# Enough kept-alive connections per host for the concurrent sign-ins the sandbox is tested with (50):
# beyond it urllib3 opens extra connections and drops them after use.
POOL_SIZE = 32


class KeepNoCookies(http.cookiejar.DefaultCookiePolicy):
    def set_ok(self, cookie, request):
        return False

    def return_ok(self, cookie, request):
        return False


def new_session() -> requests.Session:
    session = requests.Session()
    session.cookies.set_policy(KeepNoCookies())
    adapter = HTTPAdapter(pool_connections=8, pool_maxsize=POOL_SIZE)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


session = new_session()
