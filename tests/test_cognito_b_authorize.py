"""Seed step b: /oauth2/authorize and /login, as Cognito documents them. Errors that have a trusted
redirect URI go back to it with error, error_description and state; the others get the error page."""

from __future__ import annotations

from urllib.parse import urlencode

import requests

from sandbox.config import settings
from tests.functions_cognito.browser import authorize_params, pkce_pair, query, ui


def authorize(resources, **override) -> requests.Response:
    return requests.get(ui("/oauth2/authorize?" + urlencode(authorize_params(resources, **override))),
                        allow_redirects=False, timeout=10)


def redirected_error(response: requests.Response) -> dict:
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"{settings().demo_site_url}/oidc/callback/?")
    return query(response.headers["Location"])


def test_hosted_ui_answers_health(sandbox):
    assert requests.get(ui("/health"), timeout=5).status_code == 200


def test_identity_provider_sends_the_browser_straight_to_okta_with_cognitos_own_state_and_nonce(resources):
    response = authorize(resources, state="client-state", nonce="client-nonce")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(f"{settings().okta_issuer}/v1/authorize?")
    params = query(location)
    assert params["client_id"] == "0oa1cognito0sandbox7"
    assert params["redirect_uri"] == ui("/oauth2/idpresponse")
    assert params["scope"] == "openid email profile" and params["response_type"] == "code"
    assert params["state"] != "client-state" and params["nonce"] != "client-nonce"
    assert response.cookies.get("cognito_federation")


def test_without_identity_provider_the_login_page_offers_a_button_per_provider(resources):
    response = authorize(resources, identity_provider=None, state="s<script>")
    assert response.status_code == 302
    login = requests.get(response.headers["Location"], timeout=10)
    assert login.status_code == 200
    assert "Sign in with Okta" in login.text
    assert "<script>" not in login.text and "s%3Cscript%3E" in login.text
    button = query(login.text.split('href="')[1].split('"')[0].replace("&amp;", "&"))
    assert button["identity_provider"] == "Okta" and button["state"] == "s<script>"


def to_error_page(response: requests.Response, **expected) -> requests.Response:
    """A 302 to the domain's own /error page with exactly `expected` as its query; that page, fetched."""
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(ui("/error?")), location
    assert query(location) == expected
    page = requests.get(location, allow_redirects=False, timeout=10)
    assert page.status_code == 400 and "Location" not in page.headers
    assert "An error was encountered with the requested page." in page.text
    return page


def test_an_unregistered_redirect_uri_is_sent_to_cognitos_error_page_never_to_the_uri(resources):
    # Captures: /error?error=redirect_mismatch&client_id=<id> (aws/aws-aspnet-cognito-identity-provider#167).
    response = authorize(resources, redirect_uri="https://evil.example/cb")
    page = to_error_page(response, error="redirect_mismatch", client_id=resources.client_id)
    assert "evil.example" not in response.headers["Location"]
    assert "redirect_mismatch" in page.text


def test_an_unknown_client_is_sent_to_cognitos_error_page_with_invalid_request(resources):
    response = authorize(resources, client_id="nope")
    to_error_page(response, error="invalid_request", client_id="nope")


def test_the_login_page_sends_an_unregistered_redirect_uri_to_the_error_page_too(resources):
    params = authorize_params(resources, redirect_uri="https://evil.example/cb", identity_provider=None)
    response = requests.get(ui("/login?" + urlencode(params)), allow_redirects=False, timeout=10)
    to_error_page(response, error="redirect_mismatch", client_id=resources.client_id)


def test_the_error_page_escapes_what_its_query_says(sandbox):
    page = requests.get(ui("/error?" + urlencode({"error": "<script>x</script>"})), timeout=10)
    assert page.status_code == 400
    assert "<script>x</script>" not in page.text and "&lt;script&gt;" in page.text


def test_missing_response_type_is_invalid_request(resources):
    error = redirected_error(authorize(resources, response_type=None, state="abc"))
    assert error == {"error": "invalid_request", "error_description": "response_type is required",
                     "state": "abc"}


def test_a_pkce_challenge_without_method_is_invalid_request(resources):
    _, challenge = pkce_pair()
    error = redirected_error(authorize(resources, code_challenge=challenge, state="abc"))
    assert error["error"] == "invalid_request" and error["state"] == "abc"
    assert error["error_description"] == "code_challenge_method is required with code_challenge"


def test_a_pkce_method_other_than_s256_is_invalid_request(resources):
    error = redirected_error(authorize(resources, code_challenge="x" * 43, code_challenge_method="plain"))
    assert error["error"] == "invalid_request"
    assert error["error_description"] == "Only S256 is supported as code_challenge_method"


def test_a_provider_the_client_does_not_support_is_invalid_request(resources):
    error = redirected_error(authorize(resources, identity_provider="Google"))
    assert error["error"] == "invalid_request"
    assert error["error_description"] == "Identity provider Google is not supported by this client"


def test_a_client_without_the_code_flow_is_unauthorized_client(resources):
    from sandbox.aws import client

    idp = client("cognito-idp")
    before = idp.describe_user_pool_client(UserPoolId=resources.user_pool_id,
                                           ClientId=resources.client_id)["UserPoolClient"]
    keep = {k: before[k] for k in ("ClientName", "AllowedOAuthScopes", "CallbackURLs", "LogoutURLs",
                                    "SupportedIdentityProviders", "ExplicitAuthFlows", "AccessTokenValidity",
                                    "IdTokenValidity", "RefreshTokenValidity", "TokenValidityUnits",
                                    "EnableTokenRevocation", "AllowedOAuthFlowsUserPoolClient") if k in before}
    idp.update_user_pool_client(UserPoolId=resources.user_pool_id, ClientId=resources.client_id,
                                **{**keep, "AllowedOAuthFlows": ["implicit"]})
    try:
        error = redirected_error(authorize(resources))
    finally:
        idp.update_user_pool_client(UserPoolId=resources.user_pool_id, ClientId=resources.client_id,
                                    **{**keep, "AllowedOAuthFlows": before["AllowedOAuthFlows"]})
    assert error["error"] == "unauthorized_client"


def test_every_hosted_ui_page_refuses_framing_and_scripts(resources):
    login = requests.get(authorize(resources, identity_provider=None).headers["Location"], timeout=10)
    error = requests.get(ui("/error?error=redirect_mismatch"), timeout=10)
    for page in (login, error):
        assert page.headers["Content-Type"].startswith("text/html")
        assert page.headers["X-Frame-Options"] == "DENY"
        csp = [d.strip() for d in page.headers["Content-Security-Policy"].split(";")]
        assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
        assert page.headers["X-Content-Type-Options"] == "nosniff"
        assert page.headers["Cache-Control"] == "no-cache, no-store, max-age=0, must-revalidate"
