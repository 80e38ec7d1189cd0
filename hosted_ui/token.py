"""/oauth2/token: the grant type, the client, then that grant's handler."""

from __future__ import annotations

from hosted_ui import client_auth, live
from hosted_ui.errors import InvalidRequest, UnsupportedGrantType
from hosted_ui.grants import GRANTS


def token(form, authorization: str | None, now: float) -> dict:
    grant_type = form.get("grant_type")
    if not grant_type:
        raise InvalidRequest("grant_type is required")
    if grant_type not in GRANTS:
        raise UnsupportedGrantType(f"{grant_type} is not supported")
    pool_id = live.pool_id()
    client = client_auth.authenticate(form, authorization, pool_id)
    return GRANTS[grant_type](form, client, pool_id, now)
