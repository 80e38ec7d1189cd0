"""Apply the IdP's AttributeMapping {pool attribute: IdP claim}; `username` names the user's IdP id."""

from __future__ import annotations

import json


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def map_attributes(mapping: dict, claims: dict) -> dict[str, str]:
    return {attr: _text(claims[claim]) for attr, claim in (mapping or {}).items()
            if attr != "username" and claim in claims and claims[claim] is not None}


def idp_user_id(mapping: dict, claims: dict) -> str:
    """By default the IdP's `sub` is the user's id (facts.md)."""
    return _text(claims.get((mapping or {}).get("username", "sub")) or claims["sub"])


def user_name(provider_name: str, user_id: str, username_configuration: dict | None) -> str:
    """`<ProviderName>_<IdP user id>`, e.g. Okta_00u1aBcD; in a pool that is not case sensitive the whole
    name is lower case, prefix included: okta_00u1abcd (the attribute-mapping doc's federated user names,
    updated for aws-amplify/amplify-js#13844, where PreSignUp's userName was all lower case). The API's
    default without a UsernameConfiguration is case sensitive."""
    name = f"{provider_name}_{user_id}"
    return name.lower() if (username_configuration or {}).get("CaseSensitive", True) is False else name


def identities(provider_name: str, user_id: str, created_ms: int) -> list[dict]:
    """Cognito's identities JSON: primary is the string "true", dateCreated a string of epoch ms."""
    return [{"userId": user_id, "providerName": provider_name, "providerType": "OIDC", "issuer": None,
             "primary": "true", "dateCreated": str(created_ms)}]
