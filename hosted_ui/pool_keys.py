"""The pool's public keys, from its JWKS on the AWS endpoint, cached (they are stable).

A `kid` the cached set lacks refetches the set (the pool rotated its keys), but at most once per
`MIN_REFETCH_SECONDS` per pool, so tokens with made-up kids cannot turn userInfo into a JWKS flood (the
policy of aws_endpoint/apigateway/jwks.py, aws-jwt-verify's SimpleJwksCache and PyJWT's PyJWKClient)."""

from __future__ import annotations

import threading
import time

import jwt
import requests

from hosted_ui import live
from hosted_ui.aws import get_json

MIN_REFETCH_SECONDS = 30.0

_lock = threading.Lock()
_keys: dict[str, dict[str, jwt.PyJWK]] = {}
_fetched_at: dict[str, float] = {}  # pool id -> monotonic time of its last fetch
fetches = 0  # how often the JWKS was fetched (tests)


def key(pool_id: str, kid: str | None, clock=time.monotonic) -> jwt.PyJWK | None:
    global fetches
    kid = kid or ""
    found = _keys.get(pool_id, {}).get(kid)
    if found is not None:
        return found
    with _lock:
        found = _keys.get(pool_id, {}).get(kid)
        if found is not None:
            return found
        last = _fetched_at.get(pool_id)
        if last is not None and clock() - last < MIN_REFETCH_SECONDS:
            return None  # rate-limited: an unknown kid within the interval is just unknown
        _fetched_at[pool_id] = clock()
        fetches += 1
        try:
            document = get_json(f"/{pool_id}/.well-known/jwks.json")
        except requests.HTTPError as exc:
            if exc.response is not None and exc.response.status_code == 404:
                # No such pool: forget it entirely (a pool made again under this id is fetched at once).
                _keys.pop(pool_id, None)
                _fetched_at.pop(pool_id, None)
                live.pool_gone(pool_id)  # StalePool if the domain's pool was remembered
                return None
            raise
        _keys[pool_id] = {k.key_id: k for k in jwt.PyJWKSet.from_dict(document).keys if k.key_id}
        return _keys[pool_id].get(kid)
