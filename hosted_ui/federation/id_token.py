"""Verify the IdP's ID token: RS256 signature by its JWKS, iss, aud, exp, and Cognito's nonce."""

from __future__ import annotations

import hmac

import jwt

from hosted_ui.errors import InvalidRequest
from hosted_ui.federation.discovery import IdpEndpoints

# Only asymmetric algorithms: an HS256 token "signed" with the public key must not pass (alg confusion).
ALGORITHMS = ["RS256"]


def verify(ctx, token: str, idp: IdpEndpoints, client_id: str, nonce: str, flow: str | None, now: float) -> dict:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise InvalidRequest("Invalid id_token") from None
    if header.get("alg") not in ALGORITHMS:
        raise InvalidRequest("Invalid id_token signing algorithm")  # unconfirmed wording
    key = ctx.idp.signing_key(idp.jwks_uri, header.get("kid"), flow)
    if key is None:
        raise InvalidRequest("Invalid id_token signature")  # unconfirmed wording
    try:
        claims = jwt.decode(token, key.key, algorithms=ALGORITHMS, options={"verify_aud": False,
                            "verify_iss": False, "verify_exp": False, "require": ["iss", "aud", "exp", "sub"]})
    except jwt.PyJWTError:
        raise InvalidRequest("Invalid id_token signature") from None
    if claims["iss"] != idp.issuer:
        raise InvalidRequest(f"Bad id_token issuer {claims['iss']}")  # Cognito's wording, seen in the wild
    audience = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if client_id not in audience:
        raise InvalidRequest("Bad id_token audience")
    if not isinstance(claims["exp"], (int, float)) or claims["exp"] < now - 60:
        raise InvalidRequest("id_token is expired")
    if not hmac.compare_digest(str(claims.get("nonce", "")).encode(), nonce.encode()):
        raise InvalidRequest("Invalid id_token nonce")
    return claims
