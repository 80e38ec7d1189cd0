"""`prompt` (OIDC Core §3.1.2.1): `none` never shows a page, `login` always does, `none` stands alone."""

from mock_idp.errors import InvalidRequest


def check(params, client, cfg) -> dict:
    prompt = params.get("prompt")
    if prompt is None:
        return {"prompt": None}
    values = set(prompt.split())
    if not values or not (values == {"none"} or values <= {"login", "consent"}):
        raise InvalidRequest("The 'prompt' parameter is invalid.")
    # Consent is implied for first-party sandbox clients; what matters is whether to show the form.
    return {"prompt": "none" if "none" in values else ("login" if "login" in values else None)}
