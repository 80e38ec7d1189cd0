"""The user pool, its domain, its identity providers, the resource server and the app clients."""

from __future__ import annotations

from botocore.exceptions import ClientError

from sandbox.aws import client
from sandbox.config import seed
from sandbox.provision.common import Log, ProvisionError, is_error
from sandbox.provision.settings import IdentityProvider


def find_user_pool(name: str) -> dict | None:
    idp = client("cognito-idp")
    for page in idp.get_paginator("list_user_pools").paginate(MaxResults=60):
        for pool in page["UserPools"]:
            if pool["Name"] == name:
                return idp.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]
    return None


def ensure_user_pool(name: str, presignup_arn: str, log: Log) -> dict:
    idp = client("cognito-idp")
    lambda_config = {"PreSignUp": presignup_arn}
    pool = find_user_pool(name)
    if pool is None:
        log(f"creating Cognito user pool {name}")
        pool = idp.create_user_pool(
            PoolName=name,
            UsernameConfiguration={"CaseSensitive": False},
            # Standard attributes, mutable so a returning federated user's mapped values can be updated.
            Schema=[{"Name": attr, "AttributeDataType": "String", "Mutable": True, "Required": False}
                    for attr in ("email", "given_name", "family_name")],
            LambdaConfig=lambda_config,
        )["UserPool"]
    elif pool.get("LambdaConfig", {}).get("PreSignUp") != presignup_arn:
        log(f"attaching PreSignUp to {name}")
        idp.update_user_pool(UserPoolId=pool["Id"], LambdaConfig={**pool.get("LambdaConfig", {}), **lambda_config})
    return pool


def ensure_domain(pool_id: str, domain: str, log: Log) -> None:
    idp = client("cognito-idp")
    found = idp.describe_user_pool_domain(Domain=domain).get("DomainDescription", {})
    if found.get("UserPoolId") == pool_id:
        return
    if found.get("UserPoolId"):
        raise ProvisionError(f"Cognito domain {domain!r} belongs to another pool: set COGNITO_DOMAIN")
    log(f"creating Cognito domain {domain}")
    idp.create_user_pool_domain(UserPoolId=pool_id, Domain=domain)


def ensure_identity_provider(pool_id: str, wanted: IdentityProvider, log: Log) -> str:
    """Create the IdP, or bring its details, mapping and identifiers up to date; its name."""
    idp = client("cognito-idp")
    name, details, mapping = wanted.name, wanted.details, wanted.attribute_mapping
    try:
        current = idp.describe_identity_provider(UserPoolId=pool_id, ProviderName=name)["IdentityProvider"]
    except ClientError as exc:
        if not is_error(exc, "ResourceNotFoundException"):
            raise
        log(f"creating identity provider {name}")
        # IdpIdentifiers: what an app's idp_identifier (e.g. the user's email domain) selects this IdP by.
        idp.create_identity_provider(UserPoolId=pool_id, ProviderName=name, ProviderType=wanted.provider_type,
                                     ProviderDetails=details, AttributeMapping=mapping,
                                     IdpIdentifiers=wanted.idp_identifiers)
        return name
    have = current.get("ProviderDetails", {})
    if (any(have.get(k) != v for k, v in details.items()) or current.get("AttributeMapping") != mapping
            or current.get("IdpIdentifiers", []) != wanted.idp_identifiers):
        log(f"updating identity provider {name}")
        idp.update_identity_provider(UserPoolId=pool_id, ProviderName=name, ProviderDetails=details,
                                     AttributeMapping=mapping, IdpIdentifiers=wanted.idp_identifiers)
    return name


def ensure_resource_server(pool_id: str, log: Log) -> str:
    idp = client("cognito-idp")
    cfg = seed()["cognito"]["resource_server"]
    try:
        current = idp.describe_resource_server(UserPoolId=pool_id, Identifier=cfg["identifier"])["ResourceServer"]
        if current.get("Scopes") != cfg["scopes"]:
            idp.update_resource_server(UserPoolId=pool_id, Identifier=cfg["identifier"], Name=cfg["name"],
                                       Scopes=cfg["scopes"])
    except ClientError as exc:
        if not is_error(exc, "ResourceNotFoundException"):
            raise
        log(f"creating resource server {cfg['identifier']}")
        idp.create_resource_server(UserPoolId=pool_id, Identifier=cfg["identifier"], Name=cfg["name"],
                                   Scopes=cfg["scopes"])
    return cfg["identifier"]


def ensure_app_client(pool_id: str, name: str, config: dict, log: Log) -> dict:
    """Find the client by name and bring its settings up to date (keeping id and secret), or create it."""
    idp = client("cognito-idp")
    for page in idp.get_paginator("list_user_pool_clients").paginate(UserPoolId=pool_id, MaxResults=60):
        for found in page["UserPoolClients"]:
            if found["ClientName"] == name:
                current = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=found["ClientId"])
                current = current["UserPoolClient"]
                if any(current.get(k) != v for k, v in config.items()):
                    log(f"updating app client {name}")
                    idp.update_user_pool_client(UserPoolId=pool_id, ClientId=found["ClientId"], ClientName=name,
                                                **config)
                return current
    log(f"creating app client {name}")
    return idp.create_user_pool_client(UserPoolId=pool_id, ClientName=name, GenerateSecret=True,
                                       **config)["UserPoolClient"]


def demo_client_config(idp_names: list[str]) -> dict:
    cfg = seed()["cognito"]["app_client"]
    return {
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthFlowsUserPoolClient": True,
        "AllowedOAuthScopes": cfg["scopes"],
        "CallbackURLs": cfg["callback_urls"],
        "LogoutURLs": cfg["logout_urls"],
        "SupportedIdentityProviders": list(idp_names),
        "ExplicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH"],
        "AccessTokenValidity": cfg["access_token_minutes"],
        "IdTokenValidity": cfg["id_token_minutes"],
        "RefreshTokenValidity": cfg["refresh_token_days"],
        "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"},
        "EnableTokenRevocation": True,
    }


def machine_client_config(resource_server: str) -> dict:
    """A confidential client for the client_credentials grant (resource-server scopes only)."""
    return {
        "AllowedOAuthFlows": ["client_credentials"],
        "AllowedOAuthFlowsUserPoolClient": True,
        "AllowedOAuthScopes": [f"{resource_server}/profile.read"],
        "AccessTokenValidity": 60,
        "TokenValidityUnits": {"AccessToken": "minutes"},
    }
