"""`nonce` binds the ID token to the client's session (OIDC Core §3.1.2.1).

Okta requires it only for the implicit and hybrid flows; the sandbox requires it unless
OKTA_REQUIRE_NONCE=false (see settings)."""

from mock_idp.errors import InvalidRequest


def check(params, client, cfg) -> dict:
    nonce = params.get("nonce")
    if not nonce and cfg.require_nonce:
        raise InvalidRequest("The 'nonce' parameter is required.")
    if nonce and len(nonce) > 2048:
        raise InvalidRequest("The 'nonce' parameter is too long.")
    return {"nonce": nonce or None}
