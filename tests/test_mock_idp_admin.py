"""The mock Okta's run-time controls: Okta's Users API subset, scenarios, and signing-key rotation."""

from __future__ import annotations

import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import jwt
import requests

from tests.mock_idp_helpers import (admin_headers, authorize_params, code_flow, cognito_client, create_user,  # noqa: F401
                                    endpoint, okta, org, query, scenario, sign_in)
from tests.sandbox_process import start_sandbox

def users_url(path: str = "") -> str:
    return f"{org()}/api/v1/users{path}"


def assert_okta_error(response: requests.Response, status: int, code: str, summary: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["errorCode"] == code and body["errorSummary"] == summary
    assert body["errorLink"] == code and body["errorId"] and isinstance(body["errorCauses"], list)
    return body


# --- Users API --------------------------------------------------------------------------------------

def test_a_created_user_is_active_with_an_okta_id_and_can_sign_in(okta):
    user = create_user("Dana", "Doe")
    assert user["id"].startswith("00u") and len(user["id"]) == 20 and user["status"] == "ACTIVE"
    assert user["profile"]["firstName"] == "Dana" and user["profile"]["lastName"] == "Doe"
    assert user["profile"]["login"] == user["profile"]["email"]
    session, token = code_flow(cognito_client(), username=user["profile"]["login"])
    info = session.get(endpoint("userinfo"), timeout=5).json()
    assert info["sub"] == user["id"] and info["given_name"] == "Dana" and info["family_name"] == "Doe"


def test_a_user_is_found_by_id_and_by_login(okta):
    user = create_user()
    for key in (user["id"], user["profile"]["login"]):
        found = requests.get(users_url(f"/{key}"), headers=admin_headers(), timeout=5)
        assert found.status_code == 200 and found.json()["id"] == user["id"]


def test_seeded_users_are_visible_through_the_users_api(okta):
    carol = requests.get(users_url("/carol@example.com"), headers=admin_headers(), timeout=5).json()
    assert carol["id"] == "00u1Carol0Sandbox0X7" and carol["status"] == "DEPROVISIONED"


def test_a_deactivated_user_is_deprovisioned_and_cannot_sign_in(okta):
    user = create_user()
    response = requests.post(users_url(f"/{user['id']}/lifecycle/deactivate"), headers=admin_headers(), timeout=5)
    assert response.status_code == 200 and response.json() == {}
    assert requests.get(users_url(f"/{user['id']}"), headers=admin_headers(), timeout=5).json()["status"] == \
        "DEPROVISIONED"
    url = endpoint("authorize") + "?" + requests.compat.urlencode(authorize_params(cognito_client()))
    assert sign_in(requests.Session(), url, user["profile"]["login"]).status_code == 401


def test_a_user_created_without_activation_is_staged_and_cannot_sign_in(okta):
    user = create_user(activate=False)
    assert user["status"] == "STAGED"
    url = endpoint("authorize") + "?" + requests.compat.urlencode(authorize_params(cognito_client()))
    assert sign_in(requests.Session(), url, user["profile"]["login"]).status_code == 401


def test_fifty_users_created_at_once_all_get_distinct_ids(okta):
    with ThreadPoolExecutor(max_workers=50) as pool:
        users = list(pool.map(lambda _: create_user(), range(50)))
    assert len({u["id"] for u in users}) == 50


def test_the_users_api_refuses_a_missing_or_wrong_ssws_token(okta):
    body = {"profile": {"firstName": "A", "lastName": "B", "email": "a@example.com", "login": "a@example.com"}}
    for headers in ({}, {"Authorization": "SSWS wrong"}, {"Authorization": "Bearer sandbox-okta-api-token"}):
        assert_okta_error(requests.post(users_url(), json=body, headers=headers, timeout=5), 401, "E0000011",
                          "Invalid token provided")
        assert_okta_error(requests.get(users_url("/alice@example.com"), headers=headers, timeout=5), 401,
                          "E0000011", "Invalid token provided")


def test_a_duplicate_login_is_an_api_validation_error(okta):
    user = create_user()
    body = {"profile": {"firstName": "X", "lastName": "Y", "email": user["profile"]["email"],
                        "login": user["profile"]["login"].upper()}}
    error = assert_okta_error(requests.post(users_url(), json=body, headers=admin_headers(), timeout=5), 400,
                              "E0000001", "Api validation failed: login")
    assert error["errorCauses"] == [{"errorSummary": "login: An object with this field already exists in the "
                                                     "current organization"}]


def test_missing_profile_fields_are_an_api_validation_error(okta):
    response = requests.post(users_url(), json={"profile": {"login": "x@example.com"}}, headers=admin_headers(),
                             timeout=5)
    error = assert_okta_error(response, 400, "E0000001", "Api validation failed: email")
    assert {"errorSummary": "firstName: The field cannot be left blank"} in error["errorCauses"]


def test_a_malformed_json_body_is_e0000003(okta):
    response = requests.post(users_url(), data="{not json", headers={**admin_headers(),
                                                                     "Content-Type": "application/json"}, timeout=5)
    assert_okta_error(response, 400, "E0000003", "The request body was not well-formed.")


def test_an_unknown_user_is_e0000007_not_found(okta):
    assert_okta_error(requests.get(users_url("/00uNobodyAtAll000000"), headers=admin_headers(), timeout=5), 404,
                      "E0000007", "Not found: Resource not found: 00uNobodyAtAll000000 (User)")


# --- Scenarios -------------------------------------------------------------------------------------

def test_deny_next_signin_refuses_one_sign_in_with_access_denied_then_clears_itself(okta):
    with scenario({"deny_next_signin": True}):
        params = authorize_params(cognito_client(), state="deny-me")
        url = endpoint("authorize") + "?" + requests.compat.urlencode(params)
        browser = requests.Session()
        refused = sign_in(browser, url)
        assert refused.status_code == 302
        assert query(refused.headers["Location"]) == {"error": "access_denied", "state": "deny-me",
                                                      "error_description": "User is not assigned to the client "
                                                                           "application."}
        assert "okta_sid" not in browser.cookies
        shown = requests.get(f"{org()}/_sandbox/scenarios", headers=admin_headers(), timeout=5).json()
        assert shown == {}
        allowed = sign_in(requests.Session(), url)
        assert "code" in query(allowed.headers["Location"])


def test_scenarios_merge_show_and_clear(okta):
    with scenario({"token_endpoint": {"status": 503}}):
        merged = requests.post(f"{org()}/_sandbox/scenarios", json={"token_endpoint": {"delay_seconds": 0},
                                                                    "userinfo": {"status": 500}},
                               headers=admin_headers(), timeout=5).json()
        assert merged == {"token_endpoint": {"status": 503, "delay_seconds": 0}, "userinfo": {"status": 500}}
        assert requests.get(f"{org()}/_sandbox/scenarios", headers=admin_headers(), timeout=5).json() == merged
    assert requests.get(f"{org()}/_sandbox/scenarios", headers=admin_headers(), timeout=5).json() == {}


def test_an_unknown_or_malformed_scenario_is_refused(okta):
    for body in ({"explode": True}, {"token_endpoint": {"status": 200}}, {"jwks": {"delay_seconds": -1}}, [1]):
        response = requests.post(f"{org()}/_sandbox/scenarios", json=body, headers=admin_headers(), timeout=5)
        assert_okta_error(response, 400, "E0000001", "Api validation failed: scenarios")
    assert_okta_error(requests.post(f"{org()}/_sandbox/scenarios", json={}, timeout=5), 401, "E0000011",
                      "Invalid token provided")


def test_userinfo_failure_scenario(okta):
    session, _ = code_flow(cognito_client())
    with scenario({"userinfo": {"status": 500}}):
        response = session.get(endpoint("userinfo"), timeout=5)
        assert response.status_code == 500 and response.json()["error"] == "server_error"
    assert session.get(endpoint("userinfo"), timeout=5).status_code == 200


def test_a_slow_endpoint_does_not_block_others_and_clearing_scenarios_releases_it(okta):
    result = {}

    def slow_keys():
        started = time.monotonic()
        result["status"] = requests.get(endpoint("keys"), timeout=30).status_code
        result["seconds"] = time.monotonic() - started

    with scenario({"jwks": {"delay_seconds": 6}}):
        waiter = threading.Thread(target=slow_keys)
        waiter.start()
        # Other endpoints answer at once while /v1/keys is held.
        for _ in range(5):
            started = time.monotonic()
            assert requests.get(f"{org()}/health", timeout=5).status_code == 200
            assert time.monotonic() - started < 0.5
        assert "status" not in result  # still held
    waiter.join(timeout=5)  # the scenario's exit DELETEd the scenarios: the wait ends early
    assert result["status"] == 200 and result["seconds"] < 5


# --- Keys ------------------------------------------------------------------------------------------

def test_rotation_publishes_a_new_kid_and_keeps_the_old_key_for_tokens_already_issued(okta):
    session, token = code_flow(cognito_client())
    before = {k["kid"] for k in requests.get(endpoint("keys"), timeout=5).json()["keys"]}
    rotated = requests.post(f"{org()}/_sandbox/keys/rotate", headers=admin_headers(), timeout=10)
    assert rotated.status_code == 200
    new_kid = rotated.json()["kid"]
    after = {k["kid"] for k in requests.get(endpoint("keys"), timeout=5).json()["keys"]}
    assert new_kid not in before and new_kid in after and before <= after
    assert session.get(endpoint("userinfo"), timeout=5).status_code == 200  # signed with the old key
    _, fresh = code_flow(cognito_client())
    assert jwt.get_unverified_header(fresh["id_token"])["kid"] == new_kid


def test_rotation_needs_the_api_token(okta):
    assert_okta_error(requests.post(f"{org()}/_sandbox/keys/rotate", timeout=5), 401, "E0000011",
                      "Invalid token provided")


def test_keys_are_stable_across_restarts(okta):
    published = requests.get(endpoint("keys"), timeout=5).json()
    # A second mock Okta on other ports, same state directory: a restart as far as keys are concerned.
    offset = 10500 + secrets.randbelow(400)
    other = start_sandbox(["--parts", "okta"], name="mock-okta-restart",
                          env={"SANDBOX_PORT_OFFSET": str(offset)})
    try:
        again = requests.get(f"http://localhost:{9000 + offset}/oauth2/default/v1/keys", timeout=5).json()
    finally:
        other.stop()
    assert {k["kid"] for k in again["keys"]} == {k["kid"] for k in published["keys"]}


def test_a_slow_token_endpoint_holds_the_exchange_until_the_scenarios_are_cleared(okta):
    from tests.test_mock_idp_token_errors import code_exchange, fresh_code
    code, result = fresh_code(), {}

    def exchange():
        result["status"] = requests.post(endpoint("token"), data=code_exchange(code), timeout=30).status_code

    with scenario({"token_endpoint": {"delay_seconds": 6}}):
        waiter = threading.Thread(target=exchange)
        waiter.start()
        assert requests.get(endpoint("keys"), timeout=5).status_code == 200  # others are not blocked
        assert "status" not in result
    waiter.join(timeout=5)
    assert result["status"] == 200
