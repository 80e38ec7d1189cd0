"""The user pools' signing keys, fetched over HTTP from each issuer's JWKS and kept parsed.

Fetched once per pool, then refetched only when a token names a `kid` the cached set lacks (the pool
rotated its keys), and then at most once per `min_refetch_seconds`, so tokens with made-up kids cannot
turn the authorizer into a JWKS flood. (The same policy as aws-jwt-verify's SimpleJwksCache and PyJWT's
PyJWKClient: cache, refetch on a kid miss.)
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from typing import Callable

from jwt import PyJWK, PyJWKSet
from jwt.exceptions import PyJWKError, PyJWKSetError

from sandbox.config import settings


class KeyUnavailable(Exception):
    """No key with that kid (or the JWKS could not be fetched)."""


def fetch_json(url: str, timeout: float = 5.0) -> dict:
    with urllib.request.urlopen(settings().backchannel(url), timeout=timeout) as response:
        return json.load(response)


class JwksCache:
    def __init__(self, fetch: Callable[[str], dict] = fetch_json, min_refetch_seconds: float = 30.0,
                 clock: Callable[[], float] = time.monotonic):
        self._fetch = fetch
        self._min_refetch = min_refetch_seconds
        self._clock = clock
        self._keys: dict[str, dict[str, PyJWK]] = {}  # jwks url -> kid -> parsed key
        self._fetched_at: dict[str, float] = {}
        self._lock = threading.Lock()
        self.fetches = 0  # for tests and the measurement: how often the network was used

    def key(self, jwks_url: str, kid: str) -> PyJWK:
        """The parsed public key `kid` of the JWKS at `jwks_url`."""
        found = self._keys.get(jwks_url, {}).get(kid)
        if found is not None:
            return found
        with self._lock:
            found = self._keys.get(jwks_url, {}).get(kid)
            if found is not None:
                return found
            last = self._fetched_at.get(jwks_url)
            if last is not None and self._clock() - last < self._min_refetch:
                raise KeyUnavailable(f"no key {kid!r} in {jwks_url} (refetch rate-limited)")
            self._refresh(jwks_url)
        found = self._keys[jwks_url].get(kid)
        if found is None:
            raise KeyUnavailable(f"no key {kid!r} in {jwks_url}")
        return found

    def cached_key(self, jwks_url: str, kid: str) -> PyJWK | None:
        """The key as cached now, never fetching (the authorizer's verified-token cache checks its key is still it)."""
        return self._keys.get(jwks_url, {}).get(kid)

    def _refresh(self, jwks_url: str) -> None:
        self._fetched_at[jwks_url] = self._clock()
        self.fetches += 1
        try:
            document = self._fetch(jwks_url)
            keys = PyJWKSet.from_dict(document).keys
        except (OSError, ValueError, PyJWKError, PyJWKSetError) as exc:
            raise KeyUnavailable(f"JWKS {jwks_url} unavailable: {exc}") from None
        self._keys[jwks_url] = {k.key_id: k for k in keys if k.key_id}


CACHE = JwksCache()
