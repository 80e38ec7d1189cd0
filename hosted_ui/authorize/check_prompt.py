"""prompt (OIDC Core §3.1.2.1), as managed login reads it (authorization-endpoint docs, `prompt`): `none`
is answered by Cognito from its own session, `login`, `select_account` and `consent` go on to the OIDC
IdP; `none` stands alone. What Cognito answers to another value is unconfirmed: invalid_request here."""

from hosted_ui.errors import InvalidRequest

FORWARDED = {"login", "select_account", "consent"}


def check(request, client: dict, ctx) -> dict:
    if request.prompt is None:
        return {}
    values = set(request.prompt.split())
    if not (values == {"none"} or values <= FORWARDED):
        raise InvalidRequest(f"Invalid prompt {request.prompt}")  # unconfirmed wording
    return {}
