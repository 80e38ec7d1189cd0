"""A requests.Session that reads the environment's proxy and CA settings once, when it is made.

requests reads the environment (proxy variables, CA bundle variables, ~/.netrc) again on every call
(`trust_env`): a scan of every variable, a third of a millisecond of CPU each time. With no proxy configured
such a session does not look (trust_env off), and a CA bundle variable (REQUESTS_CA_BUNDLE, else CURL_CA_BUNDLE,
as requests reads them) becomes its `verify`; with a proxy configured it reads them as requests does, and
applies them (and NO_PROXY). With no proxy, ~/.netrc is not read either: the sandbox's callers send their
own credentials.

It also skips what requests does for a redirect it was told not to follow (`allow_redirects=False`): it
prepares the request that would follow, for `Response.next`, which none of these callers reads. That was a
second pass over the cookie jar and a copy of the request (and, with a proxy, another read of the
environment), ~0.2 ms of every 302 answer a browser-like client times.

Used by every client of the sandbox's own: the demo site's back channel, the browser-like driver of the
tests and the benchmark, and the benchmark's other clients (a client's own cost is in every hop it times).
"""

from __future__ import annotations

import os
import urllib.request

import requests


class Session(requests.Session):
    def resolve_redirects(self, resp, req, *args, yield_requests: bool = False, **kwargs):
        if yield_requests:  # only Session.send asks this, for Response.next of an unfollowed redirect
            return iter(())
        return super().resolve_redirects(resp, req, *args, **kwargs)


def new_session() -> requests.Session:
    session = Session()
    session.trust_env = bool(urllib.request.getproxies())
    if not session.trust_env:
        session.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
    return session
