"""Seed steps c and d: Okta's answer at /oauth2/idpresponse, the code exchange, Okta's failures mapped to
Cognito's error redirects, the state's protection, and identity-provider changes applying live."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import requests

from sandbox.aws import client
from sandbox.config import settings
from tests.flows import flow_events, has_steps
from tests.functions_cognito.browser import Browser, authorize_params, new_okta_user, okta_scenario, query, ui


def test_okta_access_denied_is_passed_on_to_the_client(resources):
    okta = new_okta_user()
    with okta_scenario({"deny_next_signin": True}):
        answer = Browser().sign_in(resources, okta, state="deny")
    assert answer == {"error": "access_denied", "state": "deny",
                      "error_description": "User is not assigned to the client application."}


def test_an_okta_token_endpoint_error_is_invalid_request_naming_the_idp_and_status(resources):
    okta = new_okta_user()
    with okta_scenario({"token_endpoint": {"status": 500}}):
        answer = Browser().sign_in(resources, okta, state="tok")
    assert answer == {"error": "invalid_request", "state": "tok",
                      "error_description": "Okta Error - 500 error getting token"}
    assert client("cognito-idp").list_users(UserPoolId=resources.user_pool_id,
                                            Filter=f'username = "{okta.username}"')["Users"] == []


def test_a_slow_okta_token_endpoint_is_a_timeout_error(resources):
    okta = new_okta_user()
    with okta_scenario({"token_endpoint": {"delay_seconds": 6}}):
        answer = Browser().sign_in(resources, okta)
    assert answer["error"] == "invalid_request"
    assert answer["error_description"] == "Timeout occurred in calling IdP token endpoint"


def test_an_okta_userinfo_error_fails_the_sign_in(resources):
    okta = new_okta_user()
    with okta_scenario({"userinfo": {"status": 500}}):
        answer = Browser().sign_in(resources, okta)
    assert answer["error"] == "invalid_request"
    assert answer["error_description"] == "Okta Error - 500 error getting user info"


def test_a_tampered_state_gets_the_error_page(resources):
    browser = Browser()
    first = browser.http.get(ui("/oauth2/authorize?" + urlencode(authorize_params(resources))),
                             allow_redirects=False, timeout=10)
    state = query(first.headers["Location"])["state"]
    tampered = state[:-4] + ("AAAA" if not state.endswith("AAAA") else "BBBB")
    response = browser.http.get(ui("/oauth2/idpresponse?" + urlencode({"code": "x", "state": tampered})),
                                allow_redirects=False, timeout=10)
    assert response.status_code == 400 and "Location" not in response.headers
    assert "invalid_state" in response.text


def test_a_state_from_another_browser_gets_the_error_page(resources):
    first = Browser().http.get(ui("/oauth2/authorize?" + urlencode(authorize_params(resources))),
                               allow_redirects=False, timeout=10)
    state = query(first.headers["Location"])["state"]
    response = Browser().http.get(ui("/oauth2/idpresponse?" + urlencode({"code": "x", "state": state})),
                                  allow_redirects=False, timeout=10)
    assert response.status_code == 400 and "invalid_state" in response.text


def test_an_idpresponse_replayed_is_refused(resources):
    okta = new_okta_user()
    browser = Browser()
    answer = browser.sign_in(resources, okta)
    assert "code" in answer
    idpresponse = next(url for url in browser.visited if "/oauth2/idpresponse" in url)
    again = browser.http.get(idpresponse, allow_redirects=False, timeout=10)
    assert again.status_code == 400 and "invalid_state" in again.text


def test_a_change_of_the_identity_provider_through_boto3_applies_on_the_next_sign_in(resources):
    idp = client("cognito-idp")
    before = idp.describe_identity_provider(UserPoolId=resources.user_pool_id, ProviderName="Okta")["IdentityProvider"]
    details = {k: v for k, v in before["ProviderDetails"].items()
               if k in ("client_id", "client_secret", "authorize_scopes", "attributes_request_method", "oidc_issuer")}
    mapping = {k: v for k, v in before["AttributeMapping"].items() if k != "family_name"}
    idp.update_identity_provider(UserPoolId=resources.user_pool_id, ProviderName="Okta",
                                 ProviderDetails={**details, "authorize_scopes": "openid email"},
                                 AttributeMapping=mapping)
    try:
        first = requests.get(ui("/oauth2/authorize?" + urlencode(authorize_params(resources))),
                             allow_redirects=False, timeout=10)
        assert query(first.headers["Location"])["scope"] == "openid email"
        okta = new_okta_user("Una", "Unmapped")
        assert "code" in Browser().sign_in(resources, okta)
    finally:
        idp.update_identity_provider(UserPoolId=resources.user_pool_id, ProviderName="Okta",
                                     ProviderDetails=details, AttributeMapping=before["AttributeMapping"])
    attrs = {a["Name"]: a["Value"] for a in idp.admin_get_user(UserPoolId=resources.user_pool_id,
                                                                Username=okta.username)["UserAttributes"]}
    # Without the profile scope Okta's userinfo has no names; family_name is not mapped either way.
    assert "family_name" not in attrs and "given_name" not in attrs and attrs["email"] == okta.email


def test_every_cognito_step_is_recorded_under_the_clients_state(resources):
    okta = new_okta_user()
    state = "flow-" + okta.id
    Browser().sign_in(resources, okta, state=state)
    wanted = {"b", "c", "d", "m", "l", "e"}
    events = flow_events(state, has_steps(wanted, {"cognito"}))
    mine = [e for e in events if e["actor"] == "cognito"]
    assert wanted <= {e["step"] for e in mine}
    presignup = next(e for e in mine if e["step"] == "m")
    assert presignup["detail"]["event"]["triggerSource"] == "PreSignUp_ExternalProvider"
    assert any(e["actor"] == "okta" for e in events)  # Okta's own events joined through the link
    assert all(len(json.dumps(e["detail"])) < 4000 for e in mine)


def test_a_rotated_okta_key_is_fetched_and_a_slow_jwks_is_a_timeout_error(resources):
    from tests.functions_cognito.browser import OKTA_ADMIN

    org = settings().okta_public_url
    requests.post(f"{org}/_sandbox/keys/rotate", headers=OKTA_ADMIN, timeout=10).raise_for_status()
    # Okta's ID tokens now carry a kid Cognito has not cached: it refetches the JWKS, which is slow.
    with okta_scenario({"jwks": {"delay_seconds": 6}}):
        answer = Browser().sign_in(resources, new_okta_user())
    assert answer["error"] == "invalid_request"
    assert answer["error_description"] == "Timeout in calling jwks uri"
    assert "code" in Browser().sign_in(resources, new_okta_user())  # and with a quick JWKS, the new key works
