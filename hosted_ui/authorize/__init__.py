"""The authorize request's checks, in the order Cognito applies them.

The first two send the browser to Cognito's own /error page (no trusted redirect URI yet); the rest redirect the error to the
client's redirect URI with its state."""

from __future__ import annotations

from dataclasses import dataclass

from hosted_ui.authorize import (check_client, check_identity_provider, check_pkce, check_redirect_uri,
                                 check_response_type, check_scope)
from hosted_ui.authorize.request import AuthorizeRequest
from hosted_ui.errors import AuthorizeRedirect, OAuthError


@dataclass(frozen=True)
class ValidRequest:
    request: AuthorizeRequest
    pool_id: str
    client: dict
    scopes: list[str]
    provider: str | None  # go straight to this IdP; None: the login page


def validate(request: AuthorizeRequest, pool_id: str) -> ValidRequest:
    client = check_client.check(request, pool_id)
    check_redirect_uri.check(request, client)
    try:
        check_response_type.check(request, client)
        check_pkce.check(request)
        scopes = check_scope.check(request, client)
        provider = check_identity_provider.check(request, client)
    except OAuthError as error:
        raise AuthorizeRedirect(error, request.redirect_uri, request.state) from None
    return ValidRequest(request, pool_id, client, scopes, provider)
