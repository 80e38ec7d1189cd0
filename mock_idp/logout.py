"""RP-initiated logout at /v1/logout (OIDC RP-Initiated Logout 1.0 §2): end the Okta session and go to a
registered post-logout URI."""

from __future__ import annotations

from mock_idp import tokens
from mock_idp.errors import InvalidRequest
from sandbox.query import add_query


def end_session(params, provider, sid: str | None, now: float) -> str | None:
    """End the session; return where to send the browser (None: Okta's own signed-out page)."""
    hint = params.get("id_token_hint")
    if not hint:
        raise InvalidRequest("The 'id_token_hint' parameter is required.")
    # Okta accepts an expired ID token as the hint (it only identifies the client and user).
    claims = tokens.verify(hint, provider.keys, provider.cfg, now, check_exp=False)
    client = provider.state.directory.clients.get(str(claims.get("aud"))) if claims else None
    if client is None or not str(claims.get("jti", "")).startswith("ID."):
        raise InvalidRequest("The 'id_token_hint' parameter is invalid.")
    target = params.get("post_logout_redirect_uri")
    if target is not None and target not in client.post_logout_redirect_uris:
        raise InvalidRequest("The 'post_logout_redirect_uri' parameter must be a Logout redirect URI in the client "
                             f"app settings: {provider.cfg.org_url}/admin/app/oidc_client/instance/"
                             f"{client.client_id}#tab-general")
    provider.state.sessions.discard(sid)
    if target is None:
        return None
    return add_query(target, {"state": params.get("state")}) if params.get("state") else target
