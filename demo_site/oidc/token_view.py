"""Decode a token for people to read, with the result of checking its signature against a key set."""

from __future__ import annotations

import jwt


def describe(token: str | None, jwks_url: str, *, timeout: float = 5) -> dict:
    """{"header", "claims", "signature"}; the claims are shown even when the signature does not verify."""
    if not token:
        return {"header": {}, "claims": {}, "signature": "no token"}
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.InvalidTokenError as exc:
        return {"header": {}, "claims": {}, "signature": f"not a JWT: {exc}"}
    try:
        key = jwt.PyJWKClient(jwks_url, cache_keys=False, timeout=timeout).get_signing_key_from_jwt(token)
        jwt.decode(token, key, algorithms=["RS256"], options={"verify_aud": False, "verify_exp": False})
        signature = f"valid: {header.get('alg')} with key {header.get('kid')} from {jwks_url}"
    except (jwt.InvalidTokenError, jwt.PyJWKClientError) as exc:
        signature = f"INVALID: {exc}"
    return {"header": header, "claims": claims, "signature": signature}
