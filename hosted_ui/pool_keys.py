"""The pool's public keys, from its JWKS on the AWS endpoint, cached (they are stable)."""

from __future__ import annotations

import threading

import jwt
import requests

from hosted_ui import live
from hosted_ui.aws import get_json

_lock = threading.Lock()
_keys: dict[str, dict[str, jwt.PyJWK]] = {}


def key(pool_id: str, kid: str | None) -> jwt.PyJWK | None:
    for attempt in range(2):
        found = _keys.get(pool_id, {}).get(kid or "")
        if found is not None or attempt == 1:
            return found
        try:
            document = get_json(f"/{pool_id}/.well-known/jwks.json")
        except requests.HTTPError as exc:
            if exc.response is not None and exc.response.status_code == 404:
                live.pool_gone(pool_id)  # no such pool (StalePool if the domain's pool was remembered)
                return None
            raise
        fetched = {k.key_id: k for k in jwt.PyJWKSet.from_dict(document).keys}
        with _lock:
            _keys[pool_id] = fetched
    return None
