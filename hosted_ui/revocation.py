"""What was revoked, asked of the AWS endpoint, which keeps the one record of it (aws_endpoint/cognito/
revocations.py): /oauth2/revoke and the global sign-outs of the Cognito API write it; refresh and userInfo
read it. GlobalSignOut: "Amazon Cognito no longer accepts a signed-out user's refresh tokens in refresh
requests"; userInfo's own 401 text names "the user has globally signed out"."""

from __future__ import annotations

from hosted_ui.errors import ServerError


def _status(ctx, pool_id: str, body: dict) -> bool:
    response = ctx.aws.internal(f"{pool_id}/token-status", body)
    if response.status_code != 200:
        raise ServerError("Internal server error")
    return bool(response.json().get("revoked"))


def access_token_revoked(ctx, pool_id: str, claims: dict) -> bool:
    return _status(ctx, pool_id, {"origin_jti": claims.get("origin_jti"), "username": str(claims.get("username"))})


def refresh_token_revoked(ctx, pool_id: str, authentication, issued_at: float) -> bool:
    return _status(ctx, pool_id, {"origin_jti": authentication.origin_jti, "username": authentication.username,
                                  "issued_at": issued_at})


def revoke_session(ctx, pool_id: str, origin_jti: str) -> None:
    """The refresh token's session: it and every access token minted from it ("Revoking tokens")."""
    if ctx.aws.internal(f"{pool_id}/revocations", {"origin_jti": origin_jti}).status_code != 200:
        raise ServerError("Internal server error")
