"""Scopes must be ones the default authorization server has, and include `openid`."""

from mock_idp.errors import InvalidScope

# The default authorization server's scopes (Okta: openid, profile, email, address, phone, offline_access).
SUPPORTED_SCOPES = ("openid", "profile", "email", "address", "phone", "offline_access")


def check(params, client, cfg) -> dict:
    raw = params.get("scope", "")
    scopes = tuple(dict.fromkeys(raw.split()))  # keep order, drop repeats
    if not scopes:
        # Okta's answer when no scope is asked and the server has no default scopes.
        raise InvalidScope("The authorization server resource does not have any configured default scopes, "
                           "'scope' must be provided.")
    if any(s not in SUPPORTED_SCOPES for s in scopes):
        raise InvalidScope("One or more scopes are not configured for the authorization server resource.")
    if "openid" not in scopes:
        # Real Okta would issue an access token alone; this provider is an OIDC IdP and needs an ID token.
        raise InvalidScope("The 'openid' scope is required.")
    return {"scopes": scopes}
