"""The pool's public keys, from its JWKS on the AWS endpoint, cached (they are stable).

A `kid` the cached set lacks refetches the set (the pool rotated its keys), but at most once per
`MIN_REFETCH_SECONDS` per pool, so tokens with made-up kids cannot turn userInfo into a JWKS flood (the
policy of aws_endpoint/apigateway/jwks.py, aws-jwt-verify's SimpleJwksCache and PyJWT's PyJWKClient)."""

from __future__ import annotations

import threading
import time
from typing import Callable

import jwt
import requests

MIN_REFETCH_SECONDS = 30.0


class PoolKeys:
    def __init__(self, fetch: Callable[[str], dict], on_gone: Callable[[str], None] = lambda pool_id: None,
                 clock: Callable[[], float] = time.monotonic, min_refetch_seconds: float = MIN_REFETCH_SECONDS):
        """`fetch(path)` answers the AWS endpoint's JSON at `path`; `on_gone(pool_id)` hears of a pool
        that no longer exists (Live.pool_gone: StalePool if the domain's pool was remembered)."""
        self._fetch, self._on_gone, self._clock, self._min_refetch = fetch, on_gone, clock, min_refetch_seconds
        self._lock = threading.Lock()
        self._keys: dict[str, dict[str, jwt.PyJWK]] = {}
        self._fetched_at: dict[str, float] = {}  # pool id -> monotonic time of its last fetch

    def key(self, pool_id: str, kid: str | None) -> jwt.PyJWK | None:
        kid = kid or ""
        found = self._keys.get(pool_id, {}).get(kid)
        if found is not None:
            return found
        with self._lock:
            found = self._keys.get(pool_id, {}).get(kid)
            if found is not None:
                return found
            last = self._fetched_at.get(pool_id)
            if last is not None and self._clock() - last < self._min_refetch:
                return None  # rate-limited: an unknown kid within the interval is just unknown
            self._fetched_at[pool_id] = self._clock()
            try:
                document = self._fetch(f"/{pool_id}/.well-known/jwks.json")
            except requests.HTTPError as exc:
                if exc.response is not None and exc.response.status_code == 404:
                    # No such pool: forget it entirely (a pool made again under this id is fetched at once).
                    self._keys.pop(pool_id, None)
                    self._fetched_at.pop(pool_id, None)
                    self._on_gone(pool_id)
                    return None
                raise
            self._keys[pool_id] = {k.key_id: k for k in jwt.PyJWKSet.from_dict(document).keys if k.key_id}
            return self._keys[pool_id].get(kid)
