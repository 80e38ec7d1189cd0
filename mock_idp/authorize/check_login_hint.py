"""`login_hint` (OIDC Core §3.1.2.1): Okta's /v1/authorize takes "a username to prepopulate if prompting
for authentication"; the sign-in form shows it in the username field (escaped like any value)."""

from mock_idp.errors import InvalidRequest


def check(params, client, cfg) -> dict:
    hint = params.get("login_hint")
    if hint and len(hint) > 2048:
        raise InvalidRequest("The 'login_hint' parameter is too long.")
    return {"login_hint": hint or None}
