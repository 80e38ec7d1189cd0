"""Sign a token with a pool's ID or access key (header: kid + alg RS256, no typ, as Cognito's)."""

from __future__ import annotations

import base64
import hashlib

import jwt

from aws_endpoint.cognito.errors import InvalidParameter
from aws_endpoint.cognito.keys import TOKEN_USES, KeyStore


# RFC 7519 §4.1: the registered claims' types (StringOrURI, NumericDate); Cognito's auth_time is a NumericDate.
STRING_CLAIMS = ("iss", "sub", "jti", "token_use", "client_id", "username")
DATE_CLAIMS = ("exp", "nbf", "iat", "auth_time")


def check_claims(claims: dict) -> None:
    """Every claim with a type a JWT fixes has it: a wrong one is the caller's 400, not PyJWT's TypeError."""
    for name in STRING_CLAIMS:
        if name in claims and not isinstance(claims[name], str):
            raise InvalidParameter(f"claim {name} must be a string")
    for name in DATE_CLAIMS:
        if name in claims and (isinstance(claims[name], bool) or not isinstance(claims[name], (int, float))):
            raise InvalidParameter(f"claim {name} must be a number (seconds since the epoch)")
    aud = claims.get("aud")
    if aud is not None and not isinstance(aud, str) and not (
            isinstance(aud, list) and all(isinstance(a, str) for a in aud)):
        raise InvalidParameter("claim aud must be a string or an array of strings")


def sign(store: KeyStore, pool_id: str, token_use: str, claims: dict) -> str:
    if token_use not in TOKEN_USES:
        raise InvalidParameter("token_use must be \"id\" or \"access\"")
    if not isinstance(claims, dict):
        raise InvalidParameter("claims must be a JSON object")
    check_claims(claims)
    key = store.keys(pool_id)[token_use]
    try:
        return jwt.encode(claims, key.private_key, algorithm="RS256", headers={"kid": key.kid, "typ": None})
    except (TypeError, ValueError) as exc:  # anything else PyJWT refuses (its own checks may grow)
        raise InvalidParameter(f"claims cannot be signed: {exc}") from None


def at_hash(access_token: str) -> str:
    """OIDC Core §3.1.3.6: left half of SHA-256 of the access token, base64url."""
    digest = hashlib.sha256(access_token.encode()).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


def sign_set(store: KeyStore, pool_id: str, access_claims: dict, id_claims: dict | None) -> dict:
    """One sign-in's tokens in one call: the access token, and (when `id_claims` is given) the ID token
    with `at_hash` of that access token as its first claim, as Cognito's ID tokens have it."""
    if id_claims is not None and not isinstance(id_claims, dict):
        raise InvalidParameter("id must be a JSON object")
    access = sign(store, pool_id, "access", access_claims)
    tokens = {"access": access}
    if id_claims is not None:
        tokens["id"] = sign(store, pool_id, "id", {"at_hash": at_hash(access), **id_claims})
    return tokens
