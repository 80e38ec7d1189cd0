"""Decode a token for people to read, with the result of checking its signature against a key set."""

from __future__ import annotations

from functools import lru_cache

import jwt

from demo_site.oidc.jwks import KeySetUnavailable, key_set


def describe(token: str | None, jwks_url: str, *, timeout: float = 5) -> dict:
    """{"header", "claims", "signature"}; the claims are shown even when the signature does not verify.
    The key comes from the process's cached key set (demo_site/oidc/jwks.py): no fetch per token."""
    if not token:
        return {"header": {}, "claims": {}, "signature": "no token"}
    header, claims, problem = _parsed(token)
    if problem:
        return {"header": {}, "claims": {}, "signature": problem}
    try:
        key = key_set(jwks_url).key_for(str(header.get("kid")), str(header.get("alg")), timeout=timeout)
        if key is None:
            raise jwt.InvalidTokenError(f"no key {header.get('kid')!r} in the key set {jwks_url}")
        _check_signature(token, key)
        signature = f"valid: {header.get('alg')} with key {header.get('kid')} from {jwks_url}"
    except KeySetUnavailable as exc:
        signature = f"INVALID: could not fetch the key set {jwks_url}: {exc}"
    except jwt.InvalidTokenError as exc:
        signature = f"INVALID: {exc}"
    return {"header": dict(header), "claims": dict(claims), "signature": signature}


# A page shows the session's ID token on every view: each token is parsed, and its signature found good with
# a given key, once. The key is the key set's parsed key object, so a refetched key set (a rotation) is a miss.
@lru_cache(maxsize=512)
def _parsed(token: str) -> tuple[dict, dict, str]:
    try:
        parsed = jwt.decode_complete(token, options={"verify_signature": False})  # header and claims, one pass
        return parsed["header"], parsed["payload"], ""
    except jwt.InvalidTokenError as exc:
        return {}, {}, f"not a JWT: {exc}"


@lru_cache(maxsize=512)
def _check_signature(token: str, key: jwt.PyJWK) -> None:
    """Raise jwt.InvalidTokenError unless `key` signed `token`; a refusal is not kept (nbf and iat are checked
    against the clock, and a token not yet valid becomes valid)."""
    jwt.decode(token, key, algorithms=["RS256"], options={"verify_aud": False, "verify_exp": False})
