"""/oauth2/token: the grant type, the client, then that grant's handler."""

from __future__ import annotations

from hosted_ui import client_auth
from hosted_ui.errors import InvalidRequest, UnsupportedGrantType
from hosted_ui.grants import GRANTS


def token(ctx, form, authorization: str | None) -> dict:
    grant_type = form.get("grant_type")
    if not grant_type:
        raise InvalidRequest("grant_type is required")
    if grant_type not in GRANTS:
        raise UnsupportedGrantType(f"{grant_type} is not supported")
    pool_id = ctx.live.pool_id()
    client = client_auth.authenticate(ctx, form, authorization, pool_id)
    return GRANTS[grant_type](ctx, form, client, pool_id, ctx.clock())
