"""The user pools' signing keys for the authorizer: sandbox/jwks.py's cache with the authorizer's policy.

Fetched once per pool, then refetched only when a token names a `kid` the cached set lacks (the pool
rotated its keys), and then at most once per `min_refetch_seconds`, so tokens with made-up kids cannot
turn the authorizer into a JWKS flood. A missing key, or a set that cannot be fetched, is KeyUnavailable.
"""

from __future__ import annotations

import json
import time
import urllib.request
from typing import Callable

from jwt import PyJWK

from sandbox import jwks
from sandbox.config import settings


class KeyUnavailable(Exception):
    """No key with that kid (or the JWKS could not be fetched)."""


def fetch_json(url: str, timeout: float = 5.0) -> dict:
    with urllib.request.urlopen(settings().backchannel(url), timeout=timeout) as response:
        return json.load(response)


class JwksCache:
    def __init__(self, fetch: Callable[[str], dict] = fetch_json, min_refetch_seconds: float = 30.0,
                 clock: Callable[[], float] = time.monotonic):
        self._cache = jwks.JwksCache(fetch, min_refetch_seconds=min_refetch_seconds, clock=clock)

    @property
    def fetches(self) -> int:
        """How often the network was used (tests and the measurement)."""
        return self._cache.fetches

    def key(self, jwks_url: str, kid: str) -> PyJWK:
        """The parsed public key `kid` of the JWKS at `jwks_url`."""
        try:
            found = self._cache.key(jwks_url, kid)
        except (OSError, ValueError) as exc:  # a fetch's, and sandbox.jwks' MalformedKeySet
            raise KeyUnavailable(f"JWKS {jwks_url} unavailable: {exc}") from None
        if found is None:
            raise KeyUnavailable(f"no key {kid!r} in {jwks_url} (or its refetch is rate-limited)")
        return found

    def cached_key(self, jwks_url: str, kid: str) -> PyJWK | None:
        """The key as cached now, never fetching (the authorizer's verified-token cache checks its key is still it)."""
        return self._cache.cached_key(jwks_url, kid)


CACHE = JwksCache()
