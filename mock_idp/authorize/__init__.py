"""/v1/authorize request checks, one module per rule, run in order by `validate`.

The first two checks decide whether the redirect URI can be trusted: until both pass, an error is an
error page (RFC 6749 §4.1.2.1: never redirect to an unverified URI). After them, errors go back to the
client's redirect URI with `state`.
"""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from mock_idp.authorize import (check_client, check_login_hint, check_nonce, check_pkce, check_prompt,
                                check_redirect_uri, check_response_type, check_scope, check_single_values,
                                check_state)
from mock_idp.errors import AuthorizeRedirect, ErrorPage, OAuthError
from mock_idp.models import AuthorizeRequest, Directory
from mock_idp.settings import Settings

# Run in this order after the client and redirect URI are trusted; each returns what it validated.
REDIRECTABLE_CHECKS = (check_single_values, check_response_type, check_scope, check_state, check_nonce,
                       check_pkce, check_prompt, check_login_hint)


def validate(params: MultiDict, directory: Directory, cfg: Settings) -> AuthorizeRequest:
    """Check an authorize request; raise ErrorPage or AuthorizeRedirect, or return what to bind the code to."""
    try:
        client = check_client.check(params, directory)
        redirect_uri = check_redirect_uri.check(params, client, cfg)
    except OAuthError as exc:
        raise ErrorPage(exc) from None
    found: dict = {}
    try:
        for check in REDIRECTABLE_CHECKS:
            found.update(check.check(params, client, cfg))
    except OAuthError as exc:
        raise AuthorizeRedirect(exc, redirect_uri, params.get("state"),
                                check_response_type.requested_mode(params)) from None
    return AuthorizeRequest(client_id=client.client_id, redirect_uri=redirect_uri, scopes=found["scopes"],
                            state=found["state"], nonce=found["nonce"], code_challenge=found["code_challenge"],
                            prompt=found["prompt"], response_mode=found["response_mode"],
                            login_hint=found["login_hint"])
