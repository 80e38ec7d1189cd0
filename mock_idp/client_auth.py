"""Client authentication at /v1/token, /v1/introspect and /v1/revoke.

Every confidential client may use client_secret_basic or client_secret_post (RFC 6749 §2.3.1); public
clients send only `client_id`. Okta's descriptions for each failure.
"""

from __future__ import annotations

import hmac

from mock_idp.errors import InvalidClient, InvalidRequest
from mock_idp.models import Client, Directory
from sandbox.basic_auth import MalformedBasic, basic_credentials


def _basic(header: str | None) -> tuple[str, str] | None:
    try:
        return basic_credentials(header)
    except MalformedBasic:
        raise InvalidClient("Client authentication failed. The Authorization header is malformed.") from None


def authenticate(form, authorization: str | None, directory: Directory) -> Client:
    """The authenticated client, or InvalidClient / InvalidRequest as Okta answers."""
    basic = _basic(authorization)
    body_id, body_secret = form.get("client_id"), form.get("client_secret")
    if form.get("client_assertion"):
        raise InvalidClient("Client authentication failed. The 'client_assertion' method is not supported.")
    if basic and body_secret is not None:
        raise InvalidRequest("Cannot supply multiple client credentials. Use one of the following: credentials in "
                             "the Authorization header, credentials in the post body, or a client_assertion in "
                             "the post body.")
    if basic:
        client_id, secret = basic
        if body_id is not None and body_id != client_id:
            raise InvalidRequest("The 'client_id' in the body does not match the Authorization header.")
    else:
        client_id, secret = body_id, body_secret
    if not client_id:
        raise InvalidClient("No client credentials found.")
    client = directory.clients.get(client_id)
    if client is None:
        raise InvalidClient("Invalid value for 'client_id' parameter.")
    if not client.confidential:
        if secret:
            raise InvalidClient("Client authentication failed. A public client cannot send a client secret.")
        return client
    if not secret:
        raise InvalidClient("No client credentials found.")
    if not hmac.compare_digest(secret.encode(), (client.client_secret or "").encode()):
        raise InvalidClient("The client secret supplied for a confidential client is invalid.")
    return client
