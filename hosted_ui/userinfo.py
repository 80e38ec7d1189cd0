"""/oauth2/userInfo: the user's attributes for a valid access token with `openid` (Cognito's docs)."""

from __future__ import annotations

import jwt

from hosted_ui import live, pool_keys
from hosted_ui.errors import BearerError
from hosted_ui.refresh_tokens import REFRESH
from hosted_ui.tokens import issuer

BY_SCOPE = {"email": ("email", "email_verified"), "phone": ("phone_number", "phone_number_verified")}


def _invalid(description: str) -> BearerError:
    return BearerError(401, "invalid_token", description)


def verify_access_token(authorization: str | None, pool_id: str, now: float) -> dict:
    if not authorization or not authorization.startswith("Bearer ") or not authorization[7:].strip():
        raise BearerError(400, "invalid_request", "Access token is missing")  # facts.md: 400 invalid_request
    token = authorization[7:].strip()
    try:
        header = jwt.get_unverified_header(token)
        key = pool_keys.key(pool_id, header.get("kid")) if header.get("alg") == "RS256" else None
        if key is None:
            raise _invalid("Invalid access token")
        claims = jwt.decode(token, key.key, algorithms=["RS256"], issuer=issuer(pool_id),
                            options={"verify_aud": False, "verify_exp": False, "require": ["exp", "iss", "sub"]})
    except jwt.PyJWTError:
        raise _invalid("Invalid access token") from None
    if claims.get("token_use") != "access":
        raise _invalid("Invalid access token")
    if claims["exp"] < now:
        raise _invalid("Access token has expired")
    if REFRESH.revoked(claims.get("origin_jti")):
        raise _invalid("Access token has been revoked")
    if "openid" not in str(claims.get("scope", "")).split():
        raise _invalid("Access token does not contain openid scope")
    return claims


def userinfo(authorization: str | None, now: float) -> dict:
    pool_id = live.pool_id()
    claims = verify_access_token(authorization, pool_id, now)
    user = live.user(pool_id, claims.get("username", ""))
    if user is None or not user.enabled or user.sub != claims["sub"]:
        raise _invalid("User does not exist.")
    scopes = set(claims["scope"].split())
    if "profile" in scopes:
        allowed = set(user.attributes)
    else:
        allowed = {"sub"} | {name for scope in scopes & set(BY_SCOPE) for name in BY_SCOPE[scope]}
    body = {k: v for k, v in user.attributes.items() if k in allowed}
    return {"sub": user.sub, **body, "username": user.username}
