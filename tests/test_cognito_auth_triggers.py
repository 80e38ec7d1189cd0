"""The authentication and token triggers of a hosted-UI (federated) sign-in, through the real Lambda
runtime: PreAuthentication and PostAuthentication for a returning user, PreTokenGeneration when tokens
are made (TokenGeneration_HostedAuth at sign-in, TokenGeneration_RefreshTokens at refresh)."""

from __future__ import annotations

import json

import jwt
import requests

from sandbox.aws import client
from tests.functions_cognito import deployed, source
from tests.functions_cognito.browser import Browser, exchange, new_okta_user, ui
from tests.functions_cognito.pool import lambda_config


def captured(resources, trigger_source: str, username: str) -> dict | None:
    item = client("dynamodb").get_item(TableName=resources.user_table, ConsistentRead=True,
                                       Key={"userName": {"S": f"captured#{trigger_source}#{username}"}}).get("Item")
    return item and {"event": json.loads(item["event"]["S"]), "seq": int(item["seq"]["N"]),
                     "invocations": int(item["invocations"]["N"])}


def cognito_attributes(resources, username: str) -> dict:
    found = client("cognito-idp").admin_get_user(UserPoolId=resources.user_pool_id, Username=username)
    return {a["Name"]: a["Value"] for a in found["UserAttributes"]}


def capture(resources):
    return deployed(source("capture_source"), environment={"USER_TABLE": resources.user_table})


def assert_common(event: dict, resources, source_: str, username: str):
    assert event["version"] == "1"
    assert event["triggerSource"] == source_
    assert event["region"] == resources.region
    assert event["userPoolId"] == resources.user_pool_id
    assert event["userName"] == username
    assert event["callerContext"] == {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": resources.client_id}


def test_a_returning_user_passes_pre_then_post_authentication_with_cognitos_events(resources):
    okta = new_okta_user("Lena", "Berg")
    username = okta.username
    Browser().sign_in(resources, okta)
    with capture(resources) as (_, arn), \
            lambda_config(resources.user_pool_id, PreAuthentication=arn, PostAuthentication=arn):
        answer = Browser().sign_in(resources, okta)
    assert "code" in answer
    stored = {**cognito_attributes(resources, username), "cognito:user_status": "EXTERNAL_PROVIDER"}
    pre = captured(resources, "PreAuthentication_Authentication", username)
    post = captured(resources, "PostAuthentication_Authentication", username)
    assert pre["seq"] < post["seq"] and pre["invocations"] == post["invocations"] == 1
    assert list(pre["event"]) == ["version", "triggerSource", "region", "userPoolId", "userName", "callerContext",
                                  "request", "response"]
    assert_common(pre["event"], resources, "PreAuthentication_Authentication", username)
    assert pre["event"]["request"] == {"userAttributes": stored, "validationData": {}}
    assert pre["event"]["response"] == {}
    assert_common(post["event"], resources, "PostAuthentication_Authentication", username)
    assert post["event"]["request"] == {"userAttributes": stored, "newDeviceUsed": False}
    assert post["event"]["response"] == {}
    assert isinstance(stored["identities"], str) and stored["sub"]


def test_a_first_sign_in_runs_no_authentication_trigger(resources):
    okta = new_okta_user("Mira", "First")
    username = okta.username
    with capture(resources) as (_, arn), \
            lambda_config(resources.user_pool_id, PreAuthentication=arn, PostAuthentication=arn):
        answer = Browser().sign_in(resources, okta)
    assert "code" in answer
    assert captured(resources, "PreAuthentication_Authentication", username) is None
    assert captured(resources, "PostAuthentication_Authentication", username) is None


def test_a_failing_pre_authentication_refuses_the_sign_in_and_the_next_one_without_it_works(resources):
    okta = new_okta_user("Nils", "Paused")
    username = okta.username
    Browser().sign_in(resources, okta)
    client("cognito-idp").admin_update_user_attributes(
        UserPoolId=resources.user_pool_id, Username=username,
        UserAttributes=[{"Name": "family_name", "Value": "Stale"}])
    with deployed(source("refuse_signin")) as (_, arn), \
            lambda_config(resources.user_pool_id, PreAuthentication=arn):
        refused = Browser().sign_in(resources, okta, state="paused-state")
    assert refused == {"error": "invalid_request", "state": "paused-state",
                       "error_description": "PreAuthentication failed with error Sign-ins are paused."}
    assert cognito_attributes(resources, username)["family_name"] == "Stale"  # refused before any write
    answer = Browser().sign_in(resources, okta)
    assert set(answer) == {"code", "state"}
    assert cognito_attributes(resources, username)["family_name"] == "Paused"


def test_a_failing_post_authentication_refuses_the_sign_in(resources):
    okta = new_okta_user("Olga", "After")
    Browser().sign_in(resources, okta)
    with deployed(source("refuse_signin")) as (_, arn), \
            lambda_config(resources.user_pool_id, PostAuthentication=arn):
        refused = Browser().sign_in(resources, okta, state="post-state")
    assert refused == {"error": "invalid_request", "state": "post-state",
                       "error_description": "PostAuthentication failed with error Sign-ins are paused."}


def test_the_pools_other_settings_survive_a_trigger_change(resources):
    idp = client("cognito-idp")
    before = idp.describe_user_pool(UserPoolId=resources.user_pool_id)["UserPool"]
    with capture(resources) as (_, arn), lambda_config(resources.user_pool_id, PreAuthentication=arn):
        during = idp.describe_user_pool(UserPoolId=resources.user_pool_id)["UserPool"]
        assert during["LambdaConfig"]["PreAuthentication"] == arn
        assert during.get("Policies") == before.get("Policies")
    after = idp.describe_user_pool(UserPoolId=resources.user_pool_id)["UserPool"]
    assert after.get("LambdaConfig") == before.get("LambdaConfig")
    assert after.get("Policies") == before.get("Policies")


# --- PreTokenGeneration ---------------------------------------------------------------------------------

def jwks(resources):
    return jwt.PyJWKClient(f"{resources.issuer}/.well-known/jwks.json")


def verified(resources, token: str, audience: str | None = None) -> dict:
    """The token's claims once its signature (the pool's JWKS), issuer and, when given, audience check."""
    return jwt.decode(token, jwks(resources).get_signing_key_from_jwt(token).key, algorithms=["RS256"],
                      issuer=resources.issuer, audience=audience, options={"verify_aud": audience is not None})


def tokens_for(resources, okta) -> dict:
    answer = Browser().sign_in(resources, okta)
    assert set(answer) == {"code", "state"}, answer
    response = exchange(resources, answer["code"])
    assert response.status_code == 200, response.text
    return response.json()


def refresh(resources, refresh_token: str):
    return requests.post(ui("/oauth2/token"), data={"grant_type": "refresh_token", "refresh_token": refresh_token},
                         auth=(resources.client_id, resources.client_secret), timeout=30)


def claims_function(override: dict | None = None, fail: str = ""):
    return deployed(source("claims"), environment={"OVERRIDE": json.dumps(override), "FAIL": fail})


def test_a_first_sign_in_runs_presignup_post_confirmation_then_token_generation_in_that_order(resources):
    okta = new_okta_user("Pia", "Order")
    username = okta.username
    with capture(resources) as (_, arn), \
            lambda_config(resources.user_pool_id, PreSignUp=arn, PostConfirmation=arn, PreTokenGeneration=arn):
        tokens_for(resources, okta)
    order = [captured(resources, s, username)["seq"] for s in
             ("PreSignUp_ExternalProvider", "PostConfirmation_ConfirmSignUp", "TokenGeneration_HostedAuth")]
    assert order == sorted(order) and len(set(order)) == 3


def test_a_returning_sign_in_sends_the_v1_token_generation_event_after_post_authentication(resources):
    okta = new_okta_user("Quin", "Token")
    username = okta.username
    Browser().sign_in(resources, okta)
    with capture(resources) as (_, arn), lambda_config(resources.user_pool_id, PreAuthentication=arn,
                                                       PostAuthentication=arn, PreTokenGeneration=arn):
        tokens_for(resources, okta)
    post = captured(resources, "PostAuthentication_Authentication", username)
    made = captured(resources, "TokenGeneration_HostedAuth", username)
    assert post["seq"] < made["seq"] and made["invocations"] == 1
    event = made["event"]
    assert list(event) == ["version", "triggerSource", "region", "userPoolId", "userName", "callerContext",
                           "request", "response"]
    assert_common(event, resources, "TokenGeneration_HostedAuth", username)
    assert event["request"] == {
        "userAttributes": {**cognito_attributes(resources, username), "cognito:user_status": "EXTERNAL_PROVIDER"},
        "groupConfiguration": {"groupsToOverride": [f"{resources.user_pool_id}_Okta"], "iamRolesToOverride": [],
                               "preferredRole": None}}
    assert event["response"] == {"claimsOverrideDetails": None}


def test_pre_token_generation_adds_and_suppresses_id_token_claims_but_not_protected_ones(resources):
    okta = new_okta_user("Rhea", "Claims")
    override = {"claimsToAddOrOverride": {"tier": "gold", "sub": "forged", "iss": "https://evil.example",
                                          "token_use": "access", "given_name": "Renamed"},
                "claimsToSuppress": ["family_name", "aud", "exp"],
                "groupOverrideDetails": {"groupsToOverride": ["admins"], "iamRolesToOverride": [],
                                         "preferredRole": None}}
    with claims_function(override) as (_, arn), lambda_config(resources.user_pool_id, PreTokenGeneration=arn):
        body = tokens_for(resources, okta)
    id_claims = verified(resources, body["id_token"], audience=resources.client_id)
    access = verified(resources, body["access_token"])
    username = okta.username
    sub = cognito_attributes(resources, username)["sub"]
    assert id_claims["tier"] == "gold" and id_claims["given_name"] == "Renamed"
    assert "family_name" not in id_claims
    assert (id_claims["sub"], id_claims["iss"], id_claims["token_use"]) == (sub, resources.issuer, "id")
    assert id_claims["aud"] == resources.client_id and isinstance(id_claims["exp"], int)
    assert id_claims["cognito:groups"] == ["admins"] and access["cognito:groups"] == ["admins"]
    assert "tier" not in access  # V1 customises the ID token only


def test_a_failing_pre_token_generation_refuses_the_sign_in(resources):
    okta = new_okta_user("Sven", "Refused")
    with claims_function(fail="No tokens today") as (_, arn), \
            lambda_config(resources.user_pool_id, PreTokenGeneration=arn):
        answer = Browser().sign_in(resources, okta, state="token-state")
    assert answer == {"error": "invalid_request", "state": "token-state",
                      "error_description": "PreTokenGeneration failed with error No tokens today."}


def test_refresh_runs_token_generation_refresh_tokens_and_applies_its_answer(resources):
    okta = new_okta_user("Tove", "Refresh")
    username = okta.username
    first = tokens_for(resources, okta)
    with capture(resources) as (_, arn), lambda_config(resources.user_pool_id, PreTokenGeneration=arn):
        assert refresh(resources, first["refresh_token"]).status_code == 200
    event = captured(resources, "TokenGeneration_RefreshTokens", username)["event"]
    assert_common(event, resources, "TokenGeneration_RefreshTokens", username)
    assert event["response"] == {"claimsOverrideDetails": None}
    with claims_function({"claimsToAddOrOverride": {"refreshed": "yes"}}) as (_, arn), \
            lambda_config(resources.user_pool_id, PreTokenGeneration=arn):
        refreshed = refresh(resources, first["refresh_token"])
    assert verified(resources, refreshed.json()["id_token"], audience=resources.client_id)["refreshed"] == "yes"


def test_a_failing_pre_token_generation_fails_the_refresh_with_invalid_request(resources):
    okta = new_okta_user("Uma", "Nope")
    first = tokens_for(resources, okta)
    with claims_function(fail="No refresh") as (_, arn), lambda_config(resources.user_pool_id, PreTokenGeneration=arn):
        response = refresh(resources, first["refresh_token"])
    assert response.status_code == 400 and response.json() == {"error": "invalid_request"}


def test_a_v2_trigger_gets_the_scopes_and_customises_both_tokens(resources):
    okta = new_okta_user("Vera", "Two")
    override = {"idTokenGeneration": {"claimsToAddOrOverride": {"plan": {"name": "pro", "seats": 3}},
                                      "claimsToSuppress": ["email"]},
                "accessTokenGeneration": {"claimsToAddOrOverride": {"tenant": "t-1", "client_id": "forged"},
                                          "scopesToAdd": ["extra/read"], "scopesToSuppress": ["profile"]}}
    v2 = lambda arn: {"PreTokenGeneration": arn,  # noqa: E731
                      "PreTokenGenerationConfig": {"LambdaArn": arn, "LambdaVersion": "V2_0"}}
    with capture(resources) as (_, arn), lambda_config(resources.user_pool_id, **v2(arn)):
        tokens_for(resources, okta)
    event = captured(resources, "TokenGeneration_HostedAuth", okta.username)["event"]
    assert event["version"] == "2" and event["request"]["scopes"] == ["openid", "email", "profile"]
    assert event["response"] == {"claimsAndScopeOverrideDetails": None}
    with claims_function(override) as (_, arn), lambda_config(resources.user_pool_id, **v2(arn)):
        body = tokens_for(resources, okta)
    id_claims = verified(resources, body["id_token"], audience=resources.client_id)
    access = verified(resources, body["access_token"])
    assert id_claims["plan"] == {"name": "pro", "seats": 3} and "email" not in id_claims
    assert access["tenant"] == "t-1" and access["client_id"] == resources.client_id
    assert access["scope"].split() == ["openid", "email", "extra/read"]
