"""No endpoint of the mock Okta answers malformed or hostile input with a 500 or a traceback."""

from __future__ import annotations

import pytest
import requests

from tests.mock_idp_helpers import admin_headers, endpoint, issuer, okta, org  # noqa: F401

HOSTILE = ["", "\x00", "%", "%zz", "é" * 5000, "<script>alert(1)</script>", "' OR 1=1 --", "a" * 70000,
           "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"), "../../etc/passwd", "{\"a\":"]


def requests_to_try(value: str):
    params = {"client_id": value, "redirect_uri": value, "response_type": value, "scope": value, "state": value,
              "nonce": value, "code_challenge": value, "code_challenge_method": value, "prompt": value}
    yield "GET", endpoint("authorize"), {"params": params}
    yield "GET", endpoint("authorize"), {"params": {**params, "client_id": "0oa1cognito0sandbox7"}}
    yield "POST", endpoint("token"), {"data": {"grant_type": value, "code": value, "client_id": value,
                                               "client_secret": value, "refresh_token": value}}
    yield "POST", endpoint("token"), {"data": {"grant_type": "authorization_code", "code": value},
                                      "auth": ("0oa1cognito0sandbox7", "sandbox-okta-cognito-secret")}
    yield "POST", endpoint("token"), {"headers": {"Authorization": "Basic " + value}, "data": {"x": "y"}}
    yield "GET", endpoint("userinfo"), {"headers": {"Authorization": "Bearer " + value}}
    yield "POST", endpoint("introspect"), {"data": {"token": value}, "auth": ("0oa1cognito0sandbox7",
                                                                              "sandbox-okta-cognito-secret")}
    yield "POST", endpoint("revoke"), {"data": {"token": value}, "auth": ("0oa1cognito0sandbox7",
                                                                          "sandbox-okta-cognito-secret")}
    yield "GET", endpoint("logout"), {"params": {"id_token_hint": value, "post_logout_redirect_uri": value}}
    yield "POST", f"{org()}/login/signin", {"data": {"key": value, "username": value, "password": value}}
    yield "POST", f"{org()}/api/v1/users", {"data": value.encode("utf-8", "surrogatepass"),
                                            "headers": {**admin_headers(), "Content-Type": "application/json"}}
    yield "GET", f"{org()}/api/v1/users/{requests.utils.quote(value, safe='')}", {"headers": admin_headers()}
    yield "POST", f"{org()}/_sandbox/scenarios", {"data": value.encode("utf-8", "surrogatepass"),
                                                  "headers": admin_headers()}


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_values_never_cause_a_server_error(okta, value):
    for method, url, kwargs in requests_to_try(value):
        response = requests.request(method, url, allow_redirects=False, timeout=10, **kwargs)
        assert response.status_code < 500, (method, url, response.status_code, response.text[:300])
        assert "Traceback" not in response.text


@pytest.mark.parametrize("method, path", [
    ("DELETE", "/v1/token"), ("PUT", "/v1/authorize"), ("POST", "/v1/keys"), ("GET", "/v1/nothing-here"),
])
def test_wrong_methods_and_unknown_paths_get_okta_json_errors(okta, method, path):
    response = requests.request(method, issuer() + path, timeout=5)
    assert response.status_code in (404, 405)
    assert response.json()["errorCode"] in ("E0000007", "E0000022")


def test_an_oversized_body_is_refused_not_crashed_on(okta):
    response = requests.post(endpoint("token"), data={"grant_type": "x" * (2 * 1024 * 1024)}, timeout=10)
    assert 400 <= response.status_code < 500
