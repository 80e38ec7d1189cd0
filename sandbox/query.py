"""Adding parameters to a redirect URI (its query or its fragment), for every party that redirects."""

from __future__ import annotations

from urllib.parse import urlencode


def add_query(uri: str, params: dict) -> str:
    """`uri` with `params` (those not None) appended to its query (RFC 6749 §3.1.2: keep the URI's own
    query)."""
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return uri + ("&" if "?" in uri else "?") + query


def add_fragment(uri: str, params: dict) -> str:
    """`uri` with `params` (those not None) as its fragment: the implicit grant's answer (RFC 6749 §4.2.2)."""
    return uri + "#" + urlencode({k: v for k, v in params.items() if v is not None})
