"""The pool's public keys, from its JWKS on the AWS endpoint, cached (they are stable)."""

from __future__ import annotations

import threading

import jwt

from hosted_ui.aws import get_json

_lock = threading.Lock()
_keys: dict[str, dict[str, jwt.PyJWK]] = {}


def key(pool_id: str, kid: str | None) -> jwt.PyJWK | None:
    for attempt in range(2):
        found = _keys.get(pool_id, {}).get(kid or "")
        if found is not None or attempt == 1:
            return found
        fetched = {k.key_id: k for k in jwt.PyJWKSet.from_dict(get_json(f"/{pool_id}/.well-known/jwks.json")).keys}
        with _lock:
            _keys[pool_id] = fetched
    return None
