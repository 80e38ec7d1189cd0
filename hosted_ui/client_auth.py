"""Client authentication at the token and revocation endpoints: Basic header or form body."""

from __future__ import annotations

import base64
import binascii
import hmac
from urllib.parse import unquote_plus

from hosted_ui import live
from hosted_ui.errors import InvalidClient, InvalidRequest


def _basic(header: str | None) -> tuple[str, str] | None:
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise InvalidClient("Malformed Basic credentials") from None
    if ":" not in decoded:
        raise InvalidClient("Malformed Basic credentials")
    client_id, secret = decoded.split(":", 1)
    # RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
    return unquote_plus(client_id), unquote_plus(secret)


def authenticate(form, authorization: str | None, pool_id: str) -> dict:
    """The authenticated client; a secret-holding client must prove it (compared in constant time)."""
    basic = _basic(authorization)
    if basic and form.get("client_secret"):
        raise InvalidRequest("Use only one client authentication method")  # RFC 6749 §2.3
    client_id, secret = basic or (form.get("client_id", ""), form.get("client_secret"))
    if basic and form.get("client_id") and form.get("client_id") != client_id:
        raise InvalidClient("client_id does not match the credentials")
    client = live.app_client(pool_id, client_id)
    if client is None:
        raise InvalidClient("Client does not exist")
    expected = client.get("ClientSecret")
    if expected:
        if secret is None or not hmac.compare_digest(secret.encode(), expected.encode()):
            raise InvalidClient("Client authentication failed")
    return client
