"""identity_provider / idp_identifier: a provider the client supports (or COGNITO), else invalid_request."""

from hosted_ui.errors import InvalidRequest


def check(request, client: dict) -> dict:
    """{"provider": the provider to go straight to, or None for the login page}."""
    name = request.identity_provider
    if name is None:
        return {"provider": None}
    supported = client.get("SupportedIdentityProviders") or []
    if name not in supported:
        # Unconfirmed wording; Cognito refuses a provider the client does not support.
        raise InvalidRequest(f"Identity provider {name} is not supported by this client")
    return {"provider": None if name == "COGNITO" else name}
