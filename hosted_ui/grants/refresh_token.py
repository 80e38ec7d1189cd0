"""grant_type=refresh_token: new ID and access tokens of the same authentication; a new refresh token too
when the app client has refresh-token rotation (RefreshTokenRotation.Feature ENABLED: "your app client
issues new ID, access, and refresh tokens when users renew their sessions with refresh tokens. When
disabled, token refresh issues only ID and access tokens", RefreshTokenRotationType; the token endpoint's
refresh_token grant issues "optionally (with refresh token rotation) refresh tokens", "Refresh tokens")."""

from __future__ import annotations

from dataclasses import replace

from hosted_ui import revocation, token_overrides
from hosted_ui.errors import InvalidGrant, InvalidRequest
from hosted_ui.live import validity_seconds
from hosted_ui.tokens import check_readable, user_tokens


def grant(ctx, form, client: dict, pool_id: str, now: float) -> dict:
    token = form.get("refresh_token")
    if not token:
        raise InvalidRequest("refresh_token is required")
    found = ctx.refresh.get(token, now)
    if found is None or found.authentication.client["ClientId"] != client["ClientId"] or found.authentication.pool_id != pool_id:
        raise InvalidGrant("Invalid Refresh Token")
    if revocation.refresh_token_revoked(ctx, pool_id, found.authentication, found.issued_at):
        raise InvalidGrant("Refresh Token has been revoked")  # token-endpoint docs: invalid_grant
    user = ctx.live.user(pool_id, found.authentication.username)
    if user is None or not user.enabled:
        raise InvalidGrant("User does not exist or is disabled")
    check_readable(client, found.authentication.scopes)
    # TokenGeneration_RefreshTokens (pre-token-generation docs). A failure is the token request's: 400
    # invalid_request, as every trigger failure Cognito reports (its token endpoint's exact answer here is
    # unconfirmed).
    overrides = token_overrides.run(ctx, "TokenGeneration_RefreshTokens", pool_id, client["ClientId"], user,
                                    found.authentication.scopes)
    # Lifetimes follow the client's current settings.
    tokens = user_tokens(ctx, replace(found.authentication, client=client), user, int(now), nonce=None,
                         overrides=overrides)
    rotation = client.get("RefreshTokenRotation") or {}
    if rotation.get("Feature") != "ENABLED":
        return tokens
    rotated = ctx.refresh.rotate(token, validity_seconds(client, "RefreshToken"),
                                 int(rotation.get("RetryGracePeriodSeconds") or 0), now)
    return {**({"id_token": tokens["id_token"]} if "id_token" in tokens else {}), "access_token": tokens["access_token"],
            "refresh_token": rotated, "expires_in": tokens["expires_in"], "token_type": "Bearer"}
