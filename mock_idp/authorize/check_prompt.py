"""`prompt` (OIDC Core §3.1.2.1): `none` never shows a page, `login` and `select_account` always do,
`none` stands alone.

Okta's /v1/authorize documents `none`, `consent`, `login` (alone or together); `select_account` is OIDC
Core's, which Cognito's managed login forwards to OIDC IdPs (Cognito authorization-endpoint docs,
`prompt`). The mock Okta has one session per browser and no account chooser, so `select_account` shows
the sign-in form, as `login` does, where the user may pick another account."""

from mock_idp.errors import InvalidRequest

INTERACTIVE = {"login", "consent", "select_account"}


def check(params, client, cfg) -> dict:
    prompt = params.get("prompt")
    if prompt is None:
        return {"prompt": None}
    values = set(prompt.split())
    if not values or not (values == {"none"} or values <= INTERACTIVE):
        raise InvalidRequest("The 'prompt' parameter is invalid.")
    # Consent is implied for first-party sandbox clients; what matters is whether to show the form.
    return {"prompt": "none" if "none" in values else ("login" if values & {"login", "select_account"} else None)}
