"""/oauth2/revoke (RFC 7009): revoke a refresh token and the access tokens minted from it."""

from __future__ import annotations

from hosted_ui import client_auth, revocation
from hosted_ui.errors import (InvalidClient, InvalidRequest, RevocationInvalidClient, UnauthorizedClient,
                              UnsupportedTokenType)


def revoke(ctx, form, authorization: str | None) -> None:
    now = ctx.clock()
    pool_id = ctx.live.pool_id()
    token = form.get("token")
    if not token:
        raise InvalidRequest("token is required")
    try:
        client = client_auth.authenticate(ctx, form, authorization, pool_id)
    except InvalidClient as error:
        raise RevocationInvalidClient(error.description) from None  # 401 here, 400 at the token endpoint
    if not client.get("EnableTokenRevocation"):
        raise InvalidRequest("Token revocation is not enabled for this client")  # unconfirmed wording
    if token.count(".") == 2:
        raise UnsupportedTokenType("Only refresh tokens can be revoked")  # Cognito revokes refresh tokens
    found = ctx.refresh.get(token, now)
    if found is None:
        return  # RFC 7009 §2.2: an invalid token is not an error
    if found.authentication.client["ClientId"] != client["ClientId"]:
        raise UnauthorizedClient("The token was issued to another client")
    ctx.refresh.revoke(token, now)
    revocation.revoke_session(ctx, pool_id, found.authentication.origin_jti)
