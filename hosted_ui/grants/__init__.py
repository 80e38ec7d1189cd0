"""One handler per grant type behind one signature: (ctx, form, client, pool_id, now) -> token response."""

from hosted_ui.grants import authorization_code, client_credentials, refresh_token

GRANTS = {
    "authorization_code": authorization_code.grant,
    "refresh_token": refresh_token.grant,
    "client_credentials": client_credentials.grant,
}
