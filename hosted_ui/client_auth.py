"""Client authentication at the token and revocation endpoints: Basic header or form body."""

from __future__ import annotations

import hmac

from hosted_ui.errors import InvalidClient, InvalidRequest
from sandbox.basic_auth import MalformedBasic, basic_credentials


def _basic(header: str | None) -> tuple[str, str] | None:
    try:
        return basic_credentials(header)
    except MalformedBasic:
        raise InvalidClient("Malformed Basic credentials") from None


def authenticate(ctx, form, authorization: str | None, pool_id: str) -> dict:
    """The authenticated client; a secret-holding client must prove it (compared in constant time)."""
    basic = _basic(authorization)
    if basic and form.get("client_secret"):
        raise InvalidRequest("Use only one client authentication method")  # RFC 6749 §2.3
    client_id, secret = basic or (form.get("client_id", ""), form.get("client_secret"))
    if basic and form.get("client_id") and form.get("client_id") != client_id:
        raise InvalidClient("client_id does not match the credentials")
    client = ctx.live.app_client(pool_id, client_id)
    if client is None:
        raise InvalidClient("Client does not exist")
    expected = client.get("ClientSecret")
    if expected:
        if secret is None or not hmac.compare_digest(secret.encode(), expected.encode()):
            raise InvalidClient("Client authentication failed")
    return client
