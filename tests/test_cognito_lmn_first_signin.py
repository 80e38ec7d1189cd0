"""Seed steps e, l, m, n: a federated first sign-in runs PreSignUp (through the real Lambda runtime),
creates the user as EXTERNAL_PROVIDER, and the trigger's DynamoDB item exists; failures create nothing."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from sandbox.aws import client
from tests.functions_cognito import deployed, pool_trigger, source
from tests.functions_cognito.browser import Browser, new_okta_user

REFERENCE = json.loads((Path(__file__).parent / "events" / "presignup_external_provider.json").read_text())


def cognito_user(resources, username: str) -> dict | None:
    try:
        return client("cognito-idp").admin_get_user(UserPoolId=resources.user_pool_id, Username=username)
    except client("cognito-idp").exceptions.UserNotFoundException:
        return None


def table_item(resources, key: str) -> dict | None:
    return client("dynamodb").get_item(TableName=resources.user_table, Key={"userName": {"S": key}},
                                       ConsistentRead=True).get("Item")


def test_first_sign_in_creates_an_external_provider_user_with_mapped_attributes_and_identities(resources):
    okta = new_okta_user("Maya", "Lopez")
    answer = Browser().sign_in(resources, okta)
    assert set(answer) == {"code", "state"}
    user = cognito_user(resources, okta.username)
    attrs = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert user["UserStatus"] == "EXTERNAL_PROVIDER" and user["Enabled"] is True
    assert (attrs["email"], attrs["given_name"], attrs["family_name"]) == (okta.email, "Maya", "Lopez")
    [identity] = json.loads(attrs["identities"])
    assert identity["userId"] == okta.id and identity["providerName"] == "Okta"
    assert identity["providerType"] == "OIDC" and identity["issuer"] is None
    assert identity["primary"] == "true" and identity["dateCreated"].isdigit()
    listed = client("cognito-idp").list_users(UserPoolId=resources.user_pool_id,
                                              Filter=f'username = "{okta.username}"')["Users"]
    assert [u["UserStatus"] for u in listed] == ["EXTERNAL_PROVIDER"]


def test_the_presignup_trigger_stores_the_users_details_in_dynamodb(resources):
    okta = new_okta_user("Noah", "Kim")
    Browser().sign_in(resources, okta)
    assert table_item(resources, okta.username) == {
        "userName": {"S": okta.username}, "ClientId": {"S": resources.client_id},
        "Email": {"S": okta.email}, "given_name": {"S": "Noah"}, "family_name": {"S": "Kim"}}


def test_the_presignup_event_matches_the_reference_event_field_by_field(resources):
    okta = new_okta_user("Ines", "Moreau")
    with deployed(source("capture"), environment={"USER_TABLE": resources.user_table}) as (_, arn), \
            pool_trigger(resources.user_pool_id, "PreSignUp", arn):
        Browser().sign_in(resources, okta)
    event = json.loads(table_item(resources, f"captured#{okta.username}")["event"]["S"])
    assert list(event) == list(REFERENCE)
    assert event["version"] == "1"
    assert event["triggerSource"] == "PreSignUp_ExternalProvider"
    assert event["region"] == resources.region
    assert event["userPoolId"] == resources.user_pool_id
    assert event["userName"] == okta.username
    assert event["callerContext"] == {"awsSdkVersion": REFERENCE["callerContext"]["awsSdkVersion"],
                                      "clientId": resources.client_id}
    assert list(event["request"]) == list(REFERENCE["request"])
    assert event["request"]["userAttributes"] == {
        "email": okta.email, "given_name": "Ines", "family_name": "Moreau",
        "cognito:email_alias": "", "cognito:phone_number_alias": ""}
    assert event["request"]["validationData"] is None
    assert event["response"] == REFERENCE["response"]


def test_a_failing_trigger_creates_no_user_and_sends_the_error_back(resources):
    okta = new_okta_user("Omar", "Fail")
    with deployed(source("fail")) as (_, arn), pool_trigger(resources.user_pool_id, "PreSignUp", arn):
        answer = Browser().sign_in(resources, okta, state="fail-state")
    assert answer == {"error": "invalid_request", "state": "fail-state",
                      "error_description": "PreSignUp failed with error Sign-ups are closed."}
    assert cognito_user(resources, okta.username) is None
    assert table_item(resources, okta.username) is None


def test_a_trigger_slower_than_five_seconds_is_tried_three_times_then_fails_the_sign_in(resources):
    # "If it does not [respond within 5 seconds], Amazon Cognito retries the call. After 3 unsuccessful
    # attempts, the function times out" (Lambda trigger docs, "Important considerations").
    okta = new_okta_user("Pia", "Slow")
    with deployed(source("slow"), environment={"USER_TABLE": resources.user_table}, timeout=10) as (_, arn), \
            pool_trigger(resources.user_pool_id, "PreSignUp", arn):
        answer = Browser().sign_in(resources, okta)
    assert answer["error"] == "invalid_request"
    assert answer["error_description"] == "PreSignUp failed with error Task timed out after 5.00 seconds."
    assert cognito_user(resources, okta.username) is None
    assert table_item(resources, f"captured#{okta.username}")["invocations"] == {"N": "3"}


def test_a_trigger_that_misses_the_five_seconds_once_is_retried_and_makes_one_user_and_one_record(resources):
    # "your Lambda function must respond within 5 seconds. If it does not, Amazon Cognito retries the call.
    # After 3 unsuccessful attempts, the function times out" (Lambda trigger docs): a retry must not double.
    okta = new_okta_user("Ray", "Retry")
    with deployed(source("slow_once"), environment={"USER_TABLE": resources.user_table}, timeout=10) as (_, arn), \
            pool_trigger(resources.user_pool_id, "PreSignUp", arn):
        answer = Browser().sign_in(resources, okta)
    assert "code" in answer, answer
    assert cognito_user(resources, okta.username)["UserStatus"] == "EXTERNAL_PROVIDER"
    assert table_item(resources, f"captured#{okta.username}")["invocations"] == {"N": "2"}
    items = client("dynamodb").scan(TableName=resources.user_table, FilterExpression="userName = :u",
                                    ExpressionAttributeValues={":u": {"S": okta.username}})["Items"]
    assert len(items) == 1


def test_a_trigger_answering_something_else_than_the_event_fails_the_sign_in(resources):
    okta = new_okta_user("Quinn", "Odd")
    with deployed(source("invalid")) as (_, arn), pool_trigger(resources.user_pool_id, "PreSignUp", arn):
        answer = Browser().sign_in(resources, okta)
    assert answer["error"] == "invalid_request"
    assert answer["error_description"] == "PreSignUp failed with error Unrecognizable lambda output."
    assert cognito_user(resources, okta.username) is None


def test_a_returning_user_gets_its_mapped_attributes_updated_and_no_trigger(resources):
    okta = new_okta_user("Rosa", "Reyes")
    Browser().sign_in(resources, okta)
    username = okta.username
    client("cognito-idp").admin_update_user_attributes(
        UserPoolId=resources.user_pool_id, Username=username,
        UserAttributes=[{"Name": "family_name", "Value": "Stale"}])
    # A refusing trigger is attached: only a sign-in that does not run it can succeed.
    with deployed(source("fail")) as (_, arn), pool_trigger(resources.user_pool_id, "PreSignUp", arn):
        answer = Browser().sign_in(resources, okta)
    assert "code" in answer
    attrs = {a["Name"]: a["Value"] for a in cognito_user(resources, username)["UserAttributes"]}
    assert attrs["family_name"] == "Reyes"


def test_two_simultaneous_first_sign_ins_make_one_user_and_one_item(resources):
    okta = new_okta_user("Sam", "Twin")
    with deployed(source("capture"), environment={"USER_TABLE": resources.user_table}) as (_, arn), \
            pool_trigger(resources.user_pool_id, "PreSignUp", arn):
        answers: list[dict] = []
        barrier = threading.Barrier(2)

        def sign_in():
            barrier.wait()
            answers.append(Browser().sign_in(resources, okta))

        threads = [threading.Thread(target=sign_in) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert all("code" in a for a in answers) and len(answers) == 2
    users = client("cognito-idp").list_users(UserPoolId=resources.user_pool_id,
                                             Filter=f'username = "{okta.username}"')["Users"]
    assert len(users) == 1
    items = client("dynamodb").scan(TableName=resources.user_table, FilterExpression="contains(userName, :id)",
                                    ExpressionAttributeValues={":id": {"S": okta.id.lower()}})["Items"]
    assert [i["userName"]["S"] for i in items] == [f"captured#{okta.username}"]
    assert items[0]["invocations"] == {"N": "1"}
