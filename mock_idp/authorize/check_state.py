"""`state` is required (Okta's /v1/authorize marks it required; RFC 6749 §10.12 CSRF protection)."""

from mock_idp.errors import InvalidRequest


def check(params, client, cfg) -> dict:
    state = params.get("state")
    if not state:
        raise InvalidRequest("The 'state' parameter is required.")
    if len(state) > 2048:
        raise InvalidRequest("The 'state' parameter is too long.")
    return {"state": state}
