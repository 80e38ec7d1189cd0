"""The AWS endpoint's change counters per pool (aws_endpoint/cognito/changes.py), by which the hosted UI
keeps its reads of the pool across requests, and the contract they keep: a change made through the AWS
API applies on the next request."""

from __future__ import annotations

import requests

from sandbox.aws import client
from sandbox.config import settings
from tests.functions_cognito.browser import Browser, exchange, new_okta_user, ui


def counters(pool_id: str) -> dict:
    response = requests.get(f"{settings().aws_endpoint_url}/_sandbox/cognito-idp/{pool_id}/changes", timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_read_through_the_api_moves_no_counter(resources):
    before = counters(resources.user_pool_id)
    idp = client("cognito-idp")
    idp.describe_user_pool(UserPoolId=resources.user_pool_id)
    idp.describe_user_pool_client(UserPoolId=resources.user_pool_id, ClientId=resources.client_id)
    idp.list_users(UserPoolId=resources.user_pool_id, Limit=1)
    assert counters(resources.user_pool_id) == before


def test_a_configuration_write_moves_both_counters_of_its_pool(resources):
    idp = client("cognito-idp")
    found = idp.describe_user_pool_client(UserPoolId=resources.user_pool_id,
                                          ClientId=resources.client_id)["UserPoolClient"]
    before = counters(resources.user_pool_id)
    idp.update_user_pool_client(UserPoolId=resources.user_pool_id, ClientId=resources.client_id,
                                **{k: found[k] for k in (
                                    "ClientName", "AllowedOAuthScopes", "AllowedOAuthFlows", "CallbackURLs",
                                    "LogoutURLs", "SupportedIdentityProviders", "ExplicitAuthFlows",
                                    "AccessTokenValidity", "IdTokenValidity", "RefreshTokenValidity",
                                    "TokenValidityUnits", "EnableTokenRevocation",
                                    "AllowedOAuthFlowsUserPoolClient") if k in found})
    after = counters(resources.user_pool_id)
    assert after["config"] != before["config"] and after["users"] != before["users"]


def test_a_user_write_moves_only_the_users_counter(resources):
    okta = new_okta_user("Cora", "Counter")
    Browser().sign_in(resources, okta)
    before = counters(resources.user_pool_id)
    client("cognito-idp").admin_update_user_attributes(
        UserPoolId=resources.user_pool_id, Username=okta.username,
        UserAttributes=[{"Name": "given_name", "Value": "Corinna"}])
    after = counters(resources.user_pool_id)
    assert after["users"] != before["users"] and after["config"] == before["config"]


def test_a_federated_first_sign_in_moves_the_users_counter(resources):
    before = counters(resources.user_pool_id)
    Browser().sign_in(resources, new_okta_user("Fern", "First"))
    after = counters(resources.user_pool_id)
    assert after["users"] != before["users"] and after["config"] == before["config"]


def test_a_write_to_another_pool_leaves_this_pools_counters(resources):
    idp = client("cognito-idp")
    other = idp.create_user_pool(PoolName="counters-other")["UserPool"]["Id"]
    try:
        before = counters(resources.user_pool_id)
        idp.update_user_pool(UserPoolId=other, AutoVerifiedAttributes=["email"])
        assert counters(resources.user_pool_id) == before
    finally:
        idp.delete_user_pool(UserPoolId=other)


def test_a_user_attribute_changed_through_the_api_shows_in_userinfo_on_the_next_request(resources):
    okta = new_okta_user("Una", "Before")
    answer = Browser().sign_in(resources, okta, scope="openid profile")
    token = exchange(resources, answer["code"]).json()["access_token"]

    def given_name() -> str:
        info = requests.get(ui("/oauth2/userInfo"), headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert info.status_code == 200, info.text
        return info.json()["given_name"]

    assert given_name() == "Una"  # read once: the hosted UI keeps it while the counters stay
    assert given_name() == "Una"
    client("cognito-idp").admin_update_user_attributes(
        UserPoolId=resources.user_pool_id, Username=okta.username,
        UserAttributes=[{"Name": "given_name", "Value": "Ursula"}])
    assert given_name() == "Ursula"


def test_a_deleted_app_client_is_refused_at_the_token_endpoint_on_the_next_request(resources):
    idp = client("cognito-idp")
    made = idp.create_user_pool_client(UserPoolId=resources.user_pool_id, ClientName="short-lived",
                                       GenerateSecret=True, AllowedOAuthFlowsUserPoolClient=True,
                                       AllowedOAuthFlows=["client_credentials"],
                                       AllowedOAuthScopes=["sandbox-api/profile.read"])["UserPoolClient"]
    credentials = (made["ClientId"], made["ClientSecret"])

    def token() -> requests.Response:
        return requests.post(ui("/oauth2/token"), auth=credentials, timeout=10,
                             data={"grant_type": "client_credentials"})

    first = token()
    idp.delete_user_pool_client(UserPoolId=resources.user_pool_id, ClientId=made["ClientId"])
    second = token()
    assert first.status_code == 200, first.text
    assert second.status_code == 400 and second.json()["error"] == "invalid_client", second.text
