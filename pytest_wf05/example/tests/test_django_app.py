"""Your Django app (mozilla-django-oidc) signing a user in through the sandbox's Cognito and Okta."""

import pytest


@pytest.fixture
def oidc_app(live_server, settings, wf05_sandbox, wf05_resources, wf05_app_client):
    """The app under live_server, registered as a Cognito app client for its own callback URL."""
    client = wf05_app_client([f"{live_server.url}/oidc/callback/"])
    hosted_ui = wf05_sandbox.urls.cognito
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = client.client_id, client.client_secret
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{hosted_ui}/oauth2/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{hosted_ui}/oauth2/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{hosted_ui}/oauth2/userInfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{wf05_resources['issuer']}/.well-known/jwks.json"
    return live_server


def test_a_user_signs_in_to_the_app_and_sees_their_page(oidc_app, wf05_okta_user, wf05_browser):
    user = wf05_okta_user(first_name="Dora")
    page = wf05_browser.sign_in_app(f"{oidc_app.url}/me/", user)  # /me/ is login_required
    assert page.url == f"{oidc_app.url}/me/"
    assert page.json() == {"email": user.login, "has_access_token": True}
    again = wf05_browser.session.get(f"{oidc_app.url}/me/", allow_redirects=False, timeout=15)
    assert again.status_code == 200  # the session cookie keeps the user signed in
