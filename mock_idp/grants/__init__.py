"""/v1/token grant handlers, one module per grant type, behind one interface:
`handle(form, client, provider, now) -> token response dict`."""

from mock_idp.grants import authorization_code, refresh_token

HANDLERS = {
    "authorization_code": authorization_code.handle,
    "refresh_token": refresh_token.handle,
}
