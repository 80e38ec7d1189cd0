"""The hosted UI refuses a parameter sent twice (RFC 6749 §3.1) without ever trusting either value, and its
OAuth endpoints answer every error as JSON, HTTP-level ones (a body over the limit, a wrong method) too."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
import requests

from sandbox.config import settings
from tests.functions_cognito.browser import authorize_params, query, ui


def authorize_with(resources, path: str = "/oauth2/authorize", **twice) -> requests.Response:
    """The authorize request with each of `twice`'s names sent a second time with that value."""
    pairs = list(authorize_params(resources).items()) + list(twice.items())
    return requests.get(ui(path + "?" + urlencode(pairs)), allow_redirects=False, timeout=10)


def callback() -> str:
    return f"{settings().demo_site_url}/oidc/callback/"


@pytest.mark.parametrize("path", ["/oauth2/authorize", "/login"])
def test_two_client_ids_are_cognitos_error_page_not_either_client(resources, path):
    response = authorize_with(resources, path, client_id="someone-else")
    assert response.status_code == 302
    assert response.headers["Location"] == ui(f"/error?error=invalid_request&client_id={resources.client_id}")


@pytest.mark.parametrize("path", ["/oauth2/authorize", "/login"])
def test_two_redirect_uris_are_a_redirect_mismatch_even_when_both_are_registered(resources, path):
    response = authorize_with(resources, path, redirect_uri=callback())
    assert response.status_code == 302
    assert response.headers["Location"] == ui(f"/error?error=redirect_mismatch&client_id={resources.client_id}")


@pytest.mark.parametrize("name, value", [("state", "second"), ("scope", "openid"), ("response_type", "code"),
                                         ("identity_provider", "Okta")])
def test_another_parameter_sent_twice_goes_back_as_invalid_request(resources, name, value):
    response = authorize_with(resources, **{name: value})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(callback() + "?")
    answer = query(response.headers["Location"])
    assert answer["error"] == "invalid_request"
    assert answer["error_description"] == f"The '{name}' parameter was included more than once."
    assert "code" not in answer


def test_the_token_endpoint_refuses_a_form_parameter_sent_twice(resources):
    response = requests.post(ui("/oauth2/token"), data=[("grant_type", "authorization_code"),
                                                        ("grant_type", "refresh_token"), ("code", "x")],
                             auth=(resources.client_id, resources.client_secret), timeout=10)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_logout_with_two_logout_uris_goes_to_neither(resources):
    home = settings().demo_site_url + "/"
    response = requests.get(ui("/logout?" + urlencode([("client_id", resources.client_id), ("logout_uri", home),
                                                       ("logout_uri", home)])), allow_redirects=False, timeout=10)
    assert response.status_code == 302
    assert response.headers["Location"].startswith(ui("/error?"))


@pytest.mark.parametrize("path", ["/oauth2/token", "/oauth2/revoke"])
def test_a_body_over_the_limit_is_a_json_413_at_every_oauth_endpoint(resources, path):
    response = requests.post(ui(path), data={"token": "x" * (1024 * 1024 + 10), "grant_type": "refresh_token"},
                             auth=(resources.client_id, resources.client_secret), timeout=30)
    assert response.status_code == 413
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json() == {"error": "invalid_request"}


@pytest.mark.parametrize("method, path", [("GET", "/oauth2/token"), ("GET", "/oauth2/revoke"),
                                          ("PUT", "/oauth2/userInfo"), ("DELETE", "/oauth2/token")])
def test_a_wrong_method_at_an_oauth_endpoint_is_a_json_error(sandbox, method, path):
    response = requests.request(method, ui(path), timeout=10)
    assert 400 <= response.status_code < 500
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json()["error"] == "invalid_request"


def test_the_browser_pages_keep_answering_http_errors_with_cognitos_error_page(sandbox):
    response = requests.post(ui("/oauth2/authorize"), data="x" * (1024 * 1024 + 10), timeout=30,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert 400 <= response.status_code < 500
    assert response.headers["Content-Type"].startswith("text/html")
