"""grant_type=refresh_token: new ID and access tokens of the same authentication (no new refresh token)."""

from __future__ import annotations

from dataclasses import replace

from hosted_ui import token_overrides
from hosted_ui.errors import InvalidGrant, InvalidRequest
from hosted_ui.tokens import user_tokens


def grant(ctx, form, client: dict, pool_id: str, now: float) -> dict:
    token = form.get("refresh_token")
    if not token:
        raise InvalidRequest("refresh_token is required")
    found = ctx.refresh.get(token, now)
    if found is None or found.authentication.client["ClientId"] != client["ClientId"] or found.authentication.pool_id != pool_id:
        raise InvalidGrant("Invalid Refresh Token")
    user = ctx.live.user(pool_id, found.authentication.username)
    if user is None or not user.enabled:
        raise InvalidGrant("User does not exist or is disabled")
    # TokenGeneration_RefreshTokens (pre-token-generation docs). A failure is the token request's: 400
    # invalid_request, as every trigger failure Cognito reports (its token endpoint's exact answer here is
    # unconfirmed).
    overrides = token_overrides.run(ctx, "TokenGeneration_RefreshTokens", pool_id, client["ClientId"], user,
                                    found.authentication.scopes)
    # Lifetimes follow the client's current settings.
    return user_tokens(ctx, replace(found.authentication, client=client), user, int(now), nonce=None, overrides=overrides)
