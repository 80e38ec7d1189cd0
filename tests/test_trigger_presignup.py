"""The PreSignUp trigger (seed steps m, n) run through the real Lambda runtime: what it stores in
DynamoDB for a federated first sign-in, and that a storage failure fails the invocation."""

from __future__ import annotations

import base64
import copy
import json
import uuid
from pathlib import Path

from sandbox.aws import client
from tests.functions_cognito import deployed

REFERENCE_EVENT = json.loads((Path(__file__).parent / "events" / "presignup_external_provider.json").read_text())


def invoke(function: str, event: dict) -> tuple[dict, str | None, str]:
    answer = client("lambda").invoke(FunctionName=function, Payload=json.dumps(event).encode(), LogType="Tail")
    log = base64.b64decode(answer.get("LogResult", "")).decode()
    return json.loads(answer["Payload"].read()), answer.get("FunctionError"), log


def federated_event(client_id: str = "1example23456789abcdefghij") -> dict:
    event = copy.deepcopy(REFERENCE_EVENT)
    event["userName"] = f"Okta_00u{uuid.uuid4().hex[:14]}"
    event["callerContext"]["clientId"] = client_id
    return event


def item(table: str, user_name: str) -> dict | None:
    return client("dynamodb").get_item(TableName=table, Key={"userName": {"S": user_name}},
                                       ConsistentRead=True).get("Item")


def test_external_provider_sign_up_stores_the_five_fields_and_returns_the_event(resources):
    event = federated_event(resources.client_id)
    payload, error, _ = invoke("sandbox-presignup", event)
    assert error is None
    assert payload == event
    assert item(resources.user_table, event["userName"]) == {
        "userName": {"S": event["userName"]},
        "ClientId": {"S": resources.client_id},
        "Email": {"S": "alice@example.com"},
        "given_name": {"S": "Alice"},
        "family_name": {"S": "Anderson"},
    }


def test_the_received_event_is_logged_as_one_json_line(resources):
    event = federated_event()
    _, _, log = invoke("sandbox-presignup", event)
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert {"received_event": event} in lines


def test_a_repeated_invocation_leaves_one_identical_item(resources):
    event = federated_event()
    invoke("sandbox-presignup", event)
    first = item(resources.user_table, event["userName"])
    _, error, _ = invoke("sandbox-presignup", event)
    assert error is None
    assert item(resources.user_table, event["userName"]) == first
    found = client("dynamodb").scan(TableName=resources.user_table, FilterExpression="userName = :u",
                                    ExpressionAttributeValues={":u": {"S": event["userName"]}})["Items"]
    assert len(found) == 1


def test_native_sign_up_stores_nothing_and_passes_the_event_through(resources):
    event = federated_event()
    event["triggerSource"] = "PreSignUp_SignUp"
    event["request"]["validationData"] = {}
    payload, error, _ = invoke("sandbox-presignup", event)
    assert error is None and payload == event
    assert item(resources.user_table, event["userName"]) is None


def test_a_storage_failure_fails_the_invocation_with_the_reason(resources):
    with deployed("trigger", environment={"USER_TABLE": "no-such-table"}) as (name, _):
        payload, error, _ = invoke(name, federated_event())
    assert error == "Unhandled"
    assert payload["errorType"] == "UserDetailsNotStored"
    assert payload["errorMessage"].startswith("could not store the user's details: ")
    assert "ResourceNotFoundException" in payload["errorMessage"]
