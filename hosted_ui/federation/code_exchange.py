"""Seed step d: exchange the IdP's code at its token endpoint, with the IdP client's secret."""

from __future__ import annotations

import requests

from hosted_ui.errors import InvalidRequest, ServerError
from hosted_ui.federation.discovery import IdpEndpoints


def exchange(ctx, provider: dict, idp: IdpEndpoints, code: str, flow: str | None) -> dict:
    details = provider.get("ProviderDetails", {})
    name = provider["ProviderName"]
    try:
        # client_secret_post, as Cognito sends it to OIDC IdPs.
        response = ctx.idp.http.call("POST", idp.token_url, flow, data={
            "grant_type": "authorization_code", "code": code, "redirect_uri": ctx.settings.idp_response_url(),
            "client_id": details.get("client_id", ""), "client_secret": details.get("client_secret", "")})
    except requests.Timeout:
        raise InvalidRequest("Timeout occurred in calling IdP token endpoint") from None
    except requests.RequestException:
        raise InvalidRequest("Connection reset") from None
    if response.status_code != 200:
        # facts.md: "Okta Error - 500 error getting token" (IdP name, status).
        raise InvalidRequest(f"{name} Error - {response.status_code} error getting token")
    try:
        tokens = response.json()
    except ValueError:
        raise ServerError("Exception processing authorization code") from None
    if not isinstance(tokens, dict) or not tokens.get("id_token") or not tokens.get("access_token"):
        raise ServerError("Exception processing authorization code")
    return tokens
