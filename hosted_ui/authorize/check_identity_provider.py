"""identity_provider (an IdP name, or COGNITO) or idp_identifier (one of an IdP's IdpIdentifiers): a
provider the client supports, else invalid_request.

Authorization-endpoint docs: idp_identifier is "an alternative to identity_provider"; the IdP naming docs:
"An identifier uniquely resolves to an identity provider associated with your user pool", typically an
email domain (`example.com`), not the provider's name. Matched exactly (how Cognito folds case is
unconfirmed; exact is the stricter reading)."""

from hosted_ui.errors import InvalidRequest


def by_identifier(ctx, pool_id: str, client: dict, identifier: str) -> str | None:
    """The name of the client's IdP whose IdpIdentifiers hold `identifier`."""
    for name in client.get("SupportedIdentityProviders") or []:
        provider = ctx.live.identity_provider(pool_id, name) if name != "COGNITO" else None
        if provider is not None and identifier in (provider.get("IdpIdentifiers") or []):
            return name
    return None


def check(request, client: dict, ctx) -> dict:
    """{"provider": the provider to go straight to, or None for the login page}."""
    name = request.identity_provider
    if name is None and request.idp_identifier is not None:
        name = by_identifier(ctx, ctx.live.pool_id(), client, request.idp_identifier)
        if name is None:
            # Unconfirmed wording; no IdP of the client has this identifier.
            raise InvalidRequest(f"No identity provider matches the idp_identifier {request.idp_identifier}")
    if name is None:
        return {"provider": None}
    supported = client.get("SupportedIdentityProviders") or []
    if name not in supported:
        # Unconfirmed wording; Cognito refuses a provider the client does not support.
        raise InvalidRequest(f"Identity provider {name} is not supported by this client")
    return {"provider": None if name == "COGNITO" else name, "requested_provider": name}
