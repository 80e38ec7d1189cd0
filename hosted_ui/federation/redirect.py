"""Seed step b: send the browser to the IdP's authorize endpoint with Cognito's own state and nonce."""

from __future__ import annotations

from sandbox.query import add_query


def idp_authorize_url(ctx, provider: dict, state: str, nonce: str, forwarded: dict | None = None) -> str:
    """`forwarded`: the app's parameters Cognito passes on (prompt, login_hint); None values are left out."""
    details = provider.get("ProviderDetails", {})
    return add_query(ctx.idp.endpoints(details).authorize_url, {
        "client_id": details.get("client_id"),
        "redirect_uri": ctx.settings.idp_response_url(),
        "response_type": "code",
        "scope": details.get("authorize_scopes", "openid"),
        "state": state,
        "nonce": nonce,
        **(forwarded or {}),
    })
