"""Decode a token for people to read, with the result of checking its signature against a key set."""

from __future__ import annotations

import jwt

from demo_site.oidc.id_token import check_signature, parsed
from demo_site.oidc.jwks import KeySetUnavailable, key_set


def describe(token: str | None, jwks_url: str, *, timeout: float = 5) -> dict:
    """{"header", "claims", "signature"}; the claims are shown even when the signature does not verify.
    The key comes from the process's cached key set (demo_site/oidc/jwks.py): no fetch per token."""
    if not token:
        return {"header": {}, "claims": {}, "signature": "no token"}
    header, claims, signature, problem = parsed(token)  # cached: id_token.py
    if problem:
        return {"header": {}, "claims": {}, "signature": problem}
    try:
        key = key_set(jwks_url).key_for(str(header.get("kid")), str(header.get("alg")), timeout=timeout)
        if key is None:
            raise jwt.InvalidTokenError(f"no key {header.get('kid')!r} in the key set {jwks_url}")
        if header.get("alg") != "RS256":  # what PyJWT's decode with algorithms=["RS256"] refuses
            raise jwt.InvalidAlgorithmError("The specified alg value is not allowed")
        check_signature(token, key, signature)
        verdict = f"valid: {header.get('alg')} with key {header.get('kid')} from {jwks_url}"
    except KeySetUnavailable as exc:
        verdict = f"INVALID: could not fetch the key set {jwks_url}: {exc}"
    except jwt.PyJWTError as exc:  # InvalidTokenError, and InvalidKeyError for a key of another type
        verdict = f"INVALID: {exc}"
    return {"header": dict(header), "claims": dict(claims), "signature": verdict}
