"""grant_type=client_credentials: a confidential client's access token for resource-server scopes only."""

from __future__ import annotations

from hosted_ui.errors import InvalidScope, UnauthorizedClient
from hosted_ui.tokens import machine_token


def grant(ctx, form, client: dict, pool_id: str, now: float) -> dict:
    if not client.get("ClientSecret") or "client_credentials" not in (client.get("AllowedOAuthFlows") or []):
        raise UnauthorizedClient("Client is not allowed the client_credentials grant")
    allowed = [s for s in client.get("AllowedOAuthScopes") or [] if "/" in s]  # custom scopes only
    asked = (form.get("scope") or "").split() or allowed
    if not asked or any(s not in allowed for s in asked):
        raise InvalidScope("Invalid scope requested")
    return machine_token(ctx, pool_id, client, list(dict.fromkeys(asked)), int(now))
