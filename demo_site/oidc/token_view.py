"""Decode a token for people to read, with the result of checking its signature against a key set."""

from __future__ import annotations

from functools import lru_cache

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from jwt.algorithms import RSAAlgorithm

from demo_site.oidc.jwks import KeySetUnavailable, key_set

RS256 = RSAAlgorithm(RSAAlgorithm.SHA256)


def describe(token: str | None, jwks_url: str, *, timeout: float = 5) -> dict:
    """{"header", "claims", "signature"}; the claims are shown even when the signature does not verify.
    The key comes from the process's cached key set (demo_site/oidc/jwks.py): no fetch per token."""
    if not token:
        return {"header": {}, "claims": {}, "signature": "no token"}
    header, claims, signature, problem = _parsed(token)
    if problem:
        return {"header": {}, "claims": {}, "signature": problem}
    try:
        key = key_set(jwks_url).key_for(str(header.get("kid")), str(header.get("alg")), timeout=timeout)
        if key is None:
            raise jwt.InvalidTokenError(f"no key {header.get('kid')!r} in the key set {jwks_url}")
        if header.get("alg") != "RS256":  # what PyJWT's decode with algorithms=["RS256"] refuses
            raise jwt.InvalidAlgorithmError("The specified alg value is not allowed")
        _check_signature(token, key, signature)
        verdict = f"valid: {header.get('alg')} with key {header.get('kid')} from {jwks_url}"
    except KeySetUnavailable as exc:
        verdict = f"INVALID: could not fetch the key set {jwks_url}: {exc}"
    except jwt.InvalidTokenError as exc:
        verdict = f"INVALID: {exc}"
    return {"header": dict(header), "claims": dict(claims), "signature": verdict}


# A page shows the session's ID token on every view: each token is parsed once (header, claims and
# signature in one PyJWT pass), and its signature found good with a given key once. The key is the key
# set's parsed key object, so a refetched key set (a rotation) is a miss.
@lru_cache(maxsize=512)
def _parsed(token: str) -> tuple[dict, dict, bytes, str]:
    try:
        parsed = jwt.decode_complete(token, options={"verify_signature": False})
        return parsed["header"], parsed["payload"], parsed["signature"], ""
    except jwt.InvalidTokenError as exc:
        return {}, {}, b"", f"not a JWT: {exc}"


@lru_cache(maxsize=512)
def _check_signature(token: str, key: jwt.PyJWK, signature: bytes) -> None:
    """Raise jwt.InvalidTokenError unless `key` made `signature` over the token's header and claims (a
    refusal is not kept: lru_cache keeps answers only)."""
    if not isinstance(key.key, RSAPublicKey):
        raise jwt.InvalidKeyError(f"key {key.key_id!r} is not an RSA public key")
    if not RS256.verify(token.rsplit(".", 1)[0].encode(), key.key, signature):
        raise jwt.InvalidSignatureError("Signature verification failed")
