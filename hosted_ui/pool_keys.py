"""The pool's public keys, from its JWKS on the AWS endpoint, cached (they are stable): sandbox/jwks.py's
cache with this policy.

A `kid` the cached set lacks refetches the set (the pool rotated its keys), but at most once per
`MIN_REFETCH_SECONDS` per pool, so tokens with made-up kids cannot turn userInfo into a JWKS flood (the
authorizer's policy too)."""

from __future__ import annotations

import time
from typing import Callable

import jwt
import requests

from sandbox.jwks import JwksCache

MIN_REFETCH_SECONDS = 30.0


class PoolKeys:
    def __init__(self, fetch: Callable[[str], dict], on_gone: Callable[[str], None] = lambda pool_id: None,
                 clock: Callable[[], float] = time.monotonic, min_refetch_seconds: float = MIN_REFETCH_SECONDS):
        """`fetch(path)` answers the AWS endpoint's JSON at `path`; `on_gone(pool_id)` hears of a pool
        that no longer exists (Live.pool_gone: StalePool if the domain's pool was remembered)."""
        self._cache = JwksCache(fetch, min_refetch_seconds=min_refetch_seconds, clock=clock)
        self._on_gone = on_gone

    def key(self, pool_id: str, kid: str | None) -> jwt.PyJWK | None:
        path = f"/{pool_id}/.well-known/jwks.json"
        try:
            return self._cache.key(path, kid)
        except requests.HTTPError as exc:
            if exc.response is not None and exc.response.status_code == 404:
                # No such pool: forget it entirely (a pool made again under this id is fetched at once).
                self._cache.forget(path)
                self._on_gone(pool_id)
                return None
            raise
