"""The authentication and token triggers of a hosted-UI (federated) sign-in, through the real Lambda
runtime: PreAuthentication and PostAuthentication for a returning user, PreTokenGeneration when tokens
are made (TokenGeneration_HostedAuth at sign-in, TokenGeneration_RefreshTokens at refresh)."""

from __future__ import annotations

import json

from sandbox.aws import client
from tests.functions_cognito import deployed, source
from tests.functions_cognito.browser import Browser, new_okta_user
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
    username = f"Okta_{okta.id}"
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
    username = f"Okta_{okta.id}"
    with capture(resources) as (_, arn), \
            lambda_config(resources.user_pool_id, PreAuthentication=arn, PostAuthentication=arn):
        answer = Browser().sign_in(resources, okta)
    assert "code" in answer
    assert captured(resources, "PreAuthentication_Authentication", username) is None
    assert captured(resources, "PostAuthentication_Authentication", username) is None


def test_a_failing_pre_authentication_refuses_the_sign_in_and_the_next_one_without_it_works(resources):
    okta = new_okta_user("Nils", "Paused")
    username = f"Okta_{okta.id}"
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
