"""The authorize request's checks, one module per rule, in the order Cognito applies them.

The first two decide whether the redirect URI can be trusted: until both pass, an error goes to
Cognito's own /error page. After them every check has one signature, `check(request, client, ctx) -> dict`
(what it validated), and its error goes back to the client's redirect URI with its state (in the fragment
for the implicit grant)."""

from __future__ import annotations

from dataclasses import dataclass

from hosted_ui.authorize import (check_client, check_identity_provider, check_pkce, check_prompt,
                                 check_redirect_uri, check_response_type, check_scope, check_single_values)
from hosted_ui.authorize.request import AuthorizeRequest
from hosted_ui.errors import AuthorizeRedirect, OAuthError

# Run in this order once the client and redirect URI are trusted.
REDIRECTABLE_CHECKS = (check_single_values, check_response_type, check_pkce, check_scope, check_prompt,
                       check_identity_provider)


@dataclass(frozen=True)
class ValidRequest:
    request: AuthorizeRequest
    pool_id: str
    client: dict
    scopes: list[str]
    provider: str | None  # go straight to this IdP; None: the login page
    requested_provider: str | None = None  # what identity_provider/idp_identifier named (COGNITO included)


def validate(ctx, request: AuthorizeRequest, pool_id: str) -> ValidRequest:
    client = check_client.check(ctx, request, pool_id)
    check_redirect_uri.check(request, client)
    found: dict = {}
    try:
        for check in REDIRECTABLE_CHECKS:
            found.update(check.check(request, client, ctx))
    except OAuthError as error:
        raise AuthorizeRedirect(error, request.redirect_uri, request.state, request.implicit) from None
    return ValidRequest(request, pool_id, client, found["scopes"], found["provider"], found.get("requested_provider"))
