"""Scopes: only ones the client may use; none asked means all of them; email/profile/phone need openid.

A scope the client may not use, or one Cognito does not have, fails the sign-in: the authorization-endpoint
docs' negative responses ("invalid, unknown, malformed scope"), on the wire as
`error=invalid_request&error_description=invalid_scope` on the redirect URI in live captures
(mlops-club/awscdk-minecraft#40, aws-samples/cloudfront-authorization-at-edge#82). The older guide's
"ignored at runtime" is contradicted by those captures and by its own negative-response list."""

from hosted_ui.errors import InvalidRequest

NEEDS_OPENID = {"email", "profile", "phone"}


def granted_scopes(requested: str | None, allowed: list[str]) -> list[str] | None:
    """The request's scopes, or None when one of them is not the client's."""
    asked = list(dict.fromkeys(requested.split())) if requested else list(allowed)
    if any(s not in allowed for s in asked):
        return None
    if "openid" not in asked:
        asked = [s for s in asked if s not in NEEDS_OPENID]  # "can only be requested if openid is also requested"
    return asked


def check(request, client: dict, ctx) -> dict:
    scopes = granted_scopes(request.scope, client.get("AllowedOAuthScopes") or [])
    if not scopes:
        raise InvalidRequest("invalid_scope")
    return {"scopes": scopes}
