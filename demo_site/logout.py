"""Where sign-out sends the browser: Cognito's /logout, then optionally Okta's /v1/logout."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings


def provider_logout_url(request) -> str:
    """Cognito's /logout with client_id and logout_uri (one of the app client's LogoutURLs); Cognito ends
    its session cookie and redirects there (docs.aws.amazon.com/cognito/latest/developerguide/logout-endpoint.html).
    Named by OIDC_OP_LOGOUT_URL_METHOD (mozilla-django-oidc's logout hook)."""
    query = urlencode({"client_id": settings.OIDC_RP_CLIENT_ID, "logout_uri": settings.COGNITO_LOGOUT_REDIRECT_URL})
    return f"{settings.COGNITO_LOGOUT_URL}?{query}"


def okta_logout_url() -> str:
    """OKTA_LOGOUT_URL, when set (empty: the Okta session is left alone). The demo site never holds Okta's
    ID token (Cognito does), so it cannot send the id_token_hint Okta's /v1/logout requires: the setting
    names an endpoint that needs none (docs/demo-site.md); client_id and the return URI are added if set."""
    params = {}
    if settings.OKTA_LOGOUT_CLIENT_ID:
        params["client_id"] = settings.OKTA_LOGOUT_CLIENT_ID
    if settings.OKTA_POST_LOGOUT_REDIRECT_URI:
        params["post_logout_redirect_uri"] = settings.OKTA_POST_LOGOUT_REDIRECT_URI
    return settings.OKTA_LOGOUT_URL + (f"?{urlencode(params)}" if params else "")
