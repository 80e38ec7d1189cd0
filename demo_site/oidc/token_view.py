"""Decode a token for people to read, with the result of checking its signature against a key set."""

from __future__ import annotations

import jwt

from demo_site.oidc.jwks import KeySetUnavailable, key_set


def describe(token: str | None, jwks_url: str, *, timeout: float = 5) -> dict:
    """{"header", "claims", "signature"}; the claims are shown even when the signature does not verify.
    The key comes from the process's cached key set (demo_site/oidc/jwks.py): no fetch per token."""
    if not token:
        return {"header": {}, "claims": {}, "signature": "no token"}
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.InvalidTokenError as exc:
        return {"header": {}, "claims": {}, "signature": f"not a JWT: {exc}"}
    try:
        key = key_set(jwks_url).key_for(str(header.get("kid")), str(header.get("alg")), timeout=timeout)
        if key is None:
            raise jwt.InvalidTokenError(f"no key {header.get('kid')!r} in the key set {jwks_url}")
        jwt.decode(token, key, algorithms=["RS256"], options={"verify_aud": False, "verify_exp": False})
        signature = f"valid: {header.get('alg')} with key {header.get('kid')} from {jwks_url}"
    except KeySetUnavailable as exc:
        signature = f"INVALID: could not fetch the key set {jwks_url}: {exc}"
    except jwt.InvalidTokenError as exc:
        signature = f"INVALID: {exc}"
    return {"header": header, "claims": claims, "signature": signature}
