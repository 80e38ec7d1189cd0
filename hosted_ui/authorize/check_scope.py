"""Scopes: what the client may use; none asked means all of them; email/profile/phone need openid."""

from hosted_ui.errors import InvalidScope

NEEDS_OPENID = {"email", "profile", "phone"}


def granted_scopes(requested: str | None, allowed: list[str]) -> list[str]:
    """Cognito drops scopes the client may not use (authorization-endpoint docs)."""
    asked = requested.split() if requested else list(allowed)
    scopes = [s for s in dict.fromkeys(asked) if s in allowed]
    if "openid" not in scopes:
        scopes = [s for s in scopes if s not in NEEDS_OPENID]
    return scopes


def check(request, client: dict) -> dict:
    scopes = granted_scopes(request.scope, client.get("AllowedOAuthScopes") or [])
    if not scopes:
        raise InvalidScope("Invalid scope requested")
    return {"scopes": scopes}
