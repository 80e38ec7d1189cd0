"""/oauth2/userInfo: the user's attributes for a valid access token with `openid` (Cognito's docs).

Which attributes (userinfo-endpoint docs, docs.aws.amazon.com/cognito/latest/developerguide/
userinfo-endpoint.html, "Example scopes in the access token and their effect on the userInfo response"):
- `openid` alone: "all user attributes that the app client can read";
- `openid profile`: name, family_name, given_name, middle_name, nickname, preferred_username, profile,
  picture, website, gender, birthdate, zoneinfo, locale, updated_at, and the custom attributes;
- `openid email`: "basic profile information" and email, email_verified;
- `openid phone`: "basic profile information" and phone_number, phone_number_verified.
Several of profile/email/phone give the union. Always within what the client may read (ReadAttributes;
a client without that list reads every attribute). "Basic profile information" is not listed: here
`sub`, `username` and `identities` (unconfirmed; captures of federated users' answers show all three).
"""

from __future__ import annotations

import logging

import jwt

from hosted_ui import revocation
from hosted_ui.errors import AccessTokenWithoutOpenid, BadUserInfoRequest, InvalidAccessToken
from hosted_ui.tokens import SCOPE_ATTRIBUTES, issuer, readable

log = logging.getLogger("sandbox.cognito")

PROFILE = {"name", "family_name", "given_name", "middle_name", "nickname", "preferred_username", "profile",
           "picture", "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at"}
BY_SCOPE = SCOPE_ATTRIBUTES
BASIC = {"sub", "identities"}


def bearer_token(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` header; the scheme is case-insensitive
    (RFC 7235 §2.1, RFC 6750 §2.1)."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or " " in token:
        raise BadUserInfoRequest("no Authorization: Bearer <access token> header")
    return token


def verify_access_token(ctx, authorization: str | None, pool_id: str, now: float) -> dict:
    token = bearer_token(authorization)
    try:
        header = jwt.get_unverified_header(token)
        key = ctx.pool_keys.key(pool_id, header.get("kid")) if header.get("alg") == "RS256" else None
        if key is None:
            raise InvalidAccessToken("no key of this pool signs the token")
        claims = jwt.decode(token, key.key, algorithms=["RS256"], issuer=issuer(ctx, pool_id),
                            options={"verify_aud": False, "verify_exp": False, "require": ["exp", "iss", "sub"]})
    except jwt.PyJWTError as exc:
        raise InvalidAccessToken(f"token does not verify: {exc}") from None
    if claims.get("token_use") != "access":
        raise InvalidAccessToken("not an access token")
    if not isinstance(claims["exp"], (int, float)) or claims["exp"] < now:
        raise InvalidAccessToken("access token expired")
    if "openid" not in str(claims.get("scope", "")).split():
        raise AccessTokenWithoutOpenid("access token has no openid scope")
    if revocation.access_token_revoked(ctx, pool_id, claims):
        raise InvalidAccessToken("access token revoked (token revocation or global sign-out)")
    return claims


def allowed_attributes(scopes: set[str], user_attributes, client: dict | None) -> set[str]:
    can_read = readable(client or {}, user_attributes)
    asked = scopes & ({"profile"} | set(BY_SCOPE))
    if not asked:
        return can_read
    names = set(BASIC)
    if "profile" in asked:
        names |= PROFILE | {n for n in user_attributes if n.startswith("custom:")}
    for scope in asked & set(BY_SCOPE):
        names |= BY_SCOPE[scope]
    return names & can_read


def userinfo(ctx, authorization: str | None) -> dict:
    try:
        pool_id = ctx.live.pool_id()
        claims = verify_access_token(ctx, authorization, pool_id, ctx.clock())
        user = ctx.live.user(pool_id, str(claims.get("username", "")))
        if user is None or not user.enabled or user.sub != claims["sub"]:
            raise InvalidAccessToken("the token's user does not exist or is disabled")
        client = ctx.live.app_client(pool_id, str(claims.get("client_id", "")))
        if client is None:
            # A deleted app client's token: AWS's answer is unconfirmed; the safe one (README).
            raise InvalidAccessToken("the token's app client no longer exists")
    except (BadUserInfoRequest, InvalidAccessToken) as error:
        log.info("userInfo refused (%s %s): %s", error.status, error.error, error.reason)
        raise
    allowed = allowed_attributes(set(claims["scope"].split()), user.attributes, client)
    body = {k: v for k, v in user.attributes.items() if k in allowed}
    return {"sub": user.sub, **body, "username": user.username}
