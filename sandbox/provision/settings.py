"""Provisioning's settings: the resources' names (the seed's, each overridable from the environment, e.g.
for a real account) and the identity providers to create, read once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sandbox.config import env, seed
from sandbox.config import settings as sandbox_settings


@dataclass(frozen=True)
class IdentityProvider:
    """One of the pool's identity providers, from the seed's `cognito.identity_providers`."""
    name: str
    provider_type: str  # Cognito's ProviderType: "OIDC" (the hosted UI's federation.PROVIDERS)
    details: dict  # ProviderDetails
    attribute_mapping: dict
    idp_identifiers: list[str]


@dataclass(frozen=True)
class Settings:
    user_pool_name: str
    domain: str
    user_table: str
    api_name: str
    api_stage: str
    api_local_id: str  # the REST API's id on the sandbox endpoint (moto's _custom_id_ tag)
    identity_providers: tuple[IdentityProvider, ...]


def identity_provider(entry: dict, okta_clients: list[dict], first: bool) -> IdentityProvider:
    """A seed entry as Cognito's IdentityProvider. Its Okta client's id and secret come from the seed's
    Okta clients; for the first IdP OKTA_CLIENT_ID/OKTA_CLIENT_SECRET override them (a real Okta org)."""
    okta_client = next((c for c in okta_clients if c["client_id"] == entry.get("okta_client_id")), {})
    client_id = okta_client.get("client_id", entry.get("client_id", ""))
    client_secret = okta_client.get("client_secret", entry.get("client_secret", ""))
    details = {
        "client_id": env("OKTA_CLIENT_ID", client_id) if first else client_id,
        "client_secret": env("OKTA_CLIENT_SECRET", client_secret) if first else client_secret,
        "authorize_scopes": entry["authorize_scopes"],
        "attributes_request_method": entry["attributes_request_method"],
        "oidc_issuer": entry.get("oidc_issuer") or sandbox_settings().okta_issuer,
    }
    return IdentityProvider(entry["name"], entry.get("provider_type", "OIDC"), details, entry["attribute_mapping"],
                            list(entry.get("idp_identifiers", [])))


@lru_cache(maxsize=1)
def settings() -> Settings:
    cfg = seed()
    return Settings(
        user_pool_name=env("COGNITO_USER_POOL_NAME", cfg["cognito"]["user_pool_name"]),
        domain=sandbox_settings().cognito_domain,
        user_table=env("USER_TABLE", cfg["dynamodb"]["user_table"]),
        api_name=env("API_NAME", cfg["api"]["name"]),
        api_stage=env("API_STAGE", cfg["api"]["stage"]),
        api_local_id=env("API_LOCAL_ID", "sandboxapi"),
        identity_providers=tuple(identity_provider(entry, cfg["okta"]["clients"], i == 0)
                                 for i, entry in enumerate(cfg["cognito"]["identity_providers"])),
    )
