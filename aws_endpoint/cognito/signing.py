"""Sign a token with a pool's ID or access key (header: kid + alg RS256, no typ, as Cognito's)."""

from __future__ import annotations

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
