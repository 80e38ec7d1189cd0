"""HTTP Basic client credentials as OAuth 2.0 sends them (RFC 6749 §2.3.1), for every party's token endpoint."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import unquote_plus


class MalformedBasic(ValueError):
    """An `Authorization: Basic` header that does not hold base64 of `client_id:client_secret`."""


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """(client_id, client_secret) from a Basic header; None when the header is not Basic."""
    if not header or header[:6].lower() != "basic ":
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise MalformedBasic from None
    if ":" not in decoded:
        raise MalformedBasic
    client_id, secret = decoded.split(":", 1)
    # RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
    return unquote_plus(client_id), unquote_plus(secret)
