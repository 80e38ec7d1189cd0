"""Sign a token with a pool's ID or access key (header: kid + alg RS256, no typ, as Cognito's)."""

from __future__ import annotations

import base64
import hashlib

import jwt

from aws_endpoint.cognito.errors import InvalidParameter
from aws_endpoint.cognito.keys import TOKEN_USES, KeyStore


def sign(store: KeyStore, pool_id: str, token_use: str, claims: dict) -> str:
    if token_use not in TOKEN_USES:
        raise InvalidParameter("token_use must be \"id\" or \"access\"")
    if not isinstance(claims, dict):
        raise InvalidParameter("claims must be a JSON object")
    key = store.keys(pool_id)[token_use]
    return jwt.encode(claims, key.private_key, algorithm="RS256", headers={"kid": key.kid, "typ": None})


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
