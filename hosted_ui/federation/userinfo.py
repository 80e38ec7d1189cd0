"""Cognito does not validate the IdP's access token: it uses it to call the IdP's userinfo endpoint,
with `attributes_request_method` (AWS's OIDC flow page)."""

from __future__ import annotations

import requests

from hosted_ui.errors import InvalidRequest
from hosted_ui.federation.discovery import IdpEndpoints


def fetch(ctx, provider: dict, idp: IdpEndpoints, access_token: str, id_claims: dict, flow: str | None) -> dict:
    method = (provider.get("ProviderDetails", {}).get("attributes_request_method") or "GET").upper()
    name = provider["ProviderName"]
    try:
        response = ctx.idp.http.call("POST" if method == "POST" else "GET", idp.userinfo_url, flow,
                        headers={"Authorization": f"Bearer {access_token}"})
    except requests.Timeout:
        raise InvalidRequest("Timeout occurred in calling IdP userinfo endpoint") from None  # unconfirmed
    except requests.RequestException:
        raise InvalidRequest("Connection reset") from None
    if response.status_code != 200:
        raise InvalidRequest(f"{name} Error - {response.status_code} error getting user info")  # unconfirmed
    try:
        claims = response.json()
    except ValueError:
        raise InvalidRequest(f"{name} Error - invalid user info") from None
    # OIDC Core §5.3.2: the userinfo sub must equal the ID token's.
    if not isinstance(claims, dict) or claims.get("sub") != id_claims.get("sub"):
        raise InvalidRequest(f"{name} Error - user info does not match the id_token")
    return claims
