"""The user pool's signing keys, fetched once per process and kept, for every check of a token's signature.

One `KeySet` per JWKS URL (sandbox/jwks.py's cache), shared by every request thread: the sign-in's ID-token check (backend.py) and
the token views of the profile and flow pages (token_view.py). Keys are parsed once (`jwt.PyJWK`). The set
is fetched again when it is older than `MAX_AGE` (a key the pool dropped stops being accepted), or when a
token names a key id the set lacks (a rotated-in key), at most once per `REFETCH_INTERVAL` so tokens with
made-up key ids cannot make this server hammer the key set URL. One thread fetches at a time; the others
wait for its answer instead of fetching too.

The matching is mozilla-django-oidc's `retrieve_matching_jwk`: the key whose `kid` is the token's, skipping
a key whose `alg` differs from the token's header.
"""

from __future__ import annotations

import threading
import time

import jwt
import requests

from demo_site.backchannel import session
from sandbox.jwks import JwksCache

MAX_AGE = 300.0  # seconds; PyJWKClient's default lifespan for a cached key set
REFETCH_INTERVAL = 5.0  # seconds between fetches caused by an unknown kid


class KeySetUnavailable(Exception):
    """The key set could not be fetched or read; the message says why."""


class KeySet:
    """The key set at `url`, through sandbox/jwks.py's cache with the demo site's policy."""

    def __init__(self, url: str, *, clock=time.monotonic):
        self.url = url
        self._cache = JwksCache(self._fetch, max_age=MAX_AGE, min_refetch_seconds=REFETCH_INTERVAL, clock=clock)

    def key_for(self, kid: str, alg: str, *, timeout: float) -> jwt.PyJWK | None:
        """The key the token names, or None when the pool's key set has none; KeySetUnavailable when the
        set had to be fetched and could not be."""
        try:
            return self._cache.key(self.url, kid, alg, timeout=timeout)
        except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
            raise KeySetUnavailable(f"{exc.__class__.__name__}: {exc}") from None

    @staticmethod
    def _fetch(url: str, timeout: float) -> dict:
        response = session.get(url, timeout=timeout)
        response.raise_for_status()
        return response.json()


_sets: dict[str, KeySet] = {}
_sets_lock = threading.Lock()


def key_set(url: str) -> KeySet:
    """The process's KeySet for `url`."""
    found = _sets.get(url)
    if found is None:
        with _sets_lock:
            found = _sets.setdefault(url, KeySet(url))
    return found
