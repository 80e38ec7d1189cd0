"""Apply the IdP's AttributeMapping {pool attribute: IdP claim}; `username` names the user's IdP id."""

from __future__ import annotations

import json
from urllib.parse import quote_plus

# What the attribute-mapping doc leaves unencoded in a multi-valued claim's values.
_KEPT = frozenset(".-*_")


def _form_encoded(value) -> str:
    text = _text(value)
    return "".join(c if (c.isascii() and c.isalnum()) or c in _KEPT else quote_plus(c) for c in text)


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        # A multi-valued IdP attribute: "Amazon Cognito will URL form encode the values containing
        # non-alphanumeric characters (excluding the '.', '-', '*', and '_' characters)" (attribute-mapping
        # doc), flattened into one bracketed, comma-delimited string: ["a b", "c"] -> "[a+b,c]".
        return "[" + ",".join(_form_encoded(v) for v in value) + "]"
    if isinstance(value, dict):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def map_attributes(mapping: dict, claims: dict) -> dict[str, str]:
    return {attr: _text(claims[claim]) for attr, claim in (mapping or {}).items()
            if attr != "username" and claim in claims and claims[claim] is not None}


def new_user_attributes(attributes: dict[str, str]) -> dict[str, str]:
    """The attributes a new federated user is stored with: "By default, mapped email addresses are
    unverified ... map an attribute from your identity provider to get the verification status"
    (attribute-mapping doc), so email_verified is "false" unless the mapping gave it."""
    if "email" in attributes and "email_verified" not in attributes:
        return {**attributes, "email_verified": "false"}
    return attributes


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
