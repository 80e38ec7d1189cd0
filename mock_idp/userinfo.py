"""/v1/userinfo claims by scope (OIDC Core §5.3, §5.4), from a valid access token."""

from __future__ import annotations

from mock_idp import tokens
from mock_idp.errors import BearerError

INVALID = "The access token is invalid."
INSUFFICIENT_SCOPE = "The access token provided does not contain the required scopes."


def claims(access_token: str | None, provider, now: float) -> dict:
    if not access_token:
        raise BearerError("invalid_request", "The access token is missing.")
    token = tokens.verify(access_token, provider.keys, provider.cfg, now, audience=provider.cfg.audience)
    if token is None or not str(token.get("jti", "")).startswith("AT.") \
            or provider.state.revoked_access.get(token["jti"], now) is not None:
        raise BearerError("invalid_token", INVALID)
    user = provider.state.directory.user(token.get("uid"))
    if user is None or not user.can_sign_in():
        raise BearerError("invalid_token", INVALID)
    scopes = token.get("scp") or []
    if "openid" not in scopes:
        # Okta's wording: support.okta.com, "insufficient_scope Error when Making a Request to an OAuth or
        # Management Endpoint" (403, scope="openid" in the challenge).
        raise BearerError("insufficient_scope", INSUFFICIENT_SCOPE, status=403)
    result = {"sub": user.id}
    if "profile" in scopes:
        result.update(name=user.name, given_name=user.given_name, family_name=user.family_name,
                      locale="en-US", preferred_username=user.login, zoneinfo="America/Los_Angeles",
                      updated_at=int(user.status_changed or user.created))
    if "email" in scopes:
        result.update(email=user.email, email_verified=True)
    return result
