"""The refresh token grant (RFC 6749 §6): same or fewer scopes; the refresh token is reused (Okta's
default for confidential clients: no rotation)."""

from __future__ import annotations

from mock_idp.errors import InvalidGrant, InvalidRequest, InvalidScope

INVALID_REFRESH = "The refresh token is invalid or expired."


def handle(form, client, provider, now: float) -> dict:
    token = form.get("refresh_token")
    if not token:
        raise InvalidRequest("The 'refresh_token' parameter is missing.")
    stored = provider.state.refresh_tokens.get(token, now)
    if stored is None or stored.client_id != client.client_id:
        raise InvalidGrant(INVALID_REFRESH)
    user = provider.state.directory.user(stored.user_id)
    if user is None or not user.can_sign_in():
        provider.state.refresh_tokens.discard(token)  # Okta revokes a deactivated user's tokens
        raise InvalidGrant(INVALID_REFRESH)
    scopes = stored.scopes
    if form.get("scope"):
        asked = tuple(dict.fromkeys(form["scope"].split()))
        if not set(asked) <= set(stored.scopes):
            raise InvalidScope("The requested scopes are not a subset of the scopes originally granted.")
        scopes = asked
    # A refreshed ID token carries no nonce (OIDC Core §12.2).
    return provider.issue_tokens(user, client, scopes, stored.auth_time, None, now, refresh_token=token)
