"""Seed step n where it happens: the PreSignUp trigger's PutItem arrives at the AWS endpoint carrying its
invocation's X-Ray trace header (botocore sends `_X_AMZN_TRACE_ID`, which the runtime sets per invocation,
as Lambda does), so the endpoint records it under that invocation, for the flow page, with no change to
the trigger's code."""

from __future__ import annotations

import json
import re

import requests

from sandbox import flowlog
from sandbox.aws import client
from sandbox.config import settings
from tests.flows import flow_events
from tests.test_trigger_presignup import federated_event

TRACE = re.compile(r"^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$")


def test_the_triggers_putitem_is_recorded_as_step_n_under_its_invocation(resources):
    event = federated_event(resources.client_id)
    answer = client("lambda").invoke(FunctionName="sandbox-presignup", Payload=json.dumps(event).encode())
    assert "FunctionError" not in answer
    request_id = answer["ResponseMetadata"]["RequestId"]
    # Stored by the AWS endpoint before it answered the PutItem, so before the Invoke returned.
    events = flow_events(flowlog.invocation_key(request_id))
    assert [(e["step"], e["actor"], e["target"]) for e in events] == [("n", "lambda", "dynamodb")], events
    (stored,) = events
    assert stored["summary"] == f"PutItem into {resources.user_table}: 200 OK"
    assert stored["detail"]["item"]["userName"] == {"S": event["userName"]}
    assert stored["detail"]["lambda_request_id"] == request_id


def test_a_linked_invocation_s_step_n_joins_the_sign_in_flow(resources):
    answer = client("lambda").invoke(FunctionName="sandbox-presignup",
                                     Payload=json.dumps(federated_event(resources.client_id)).encode())
    flow = "flow-step-n-" + answer["ResponseMetadata"]["RequestId"]
    flowlog.record(flow, actor="cognito", target="lambda", step="m", summary="PreSignUp trigger invoked")
    flowlog.link(flowlog.invocation_key(answer["ResponseMetadata"]["RequestId"]), flow)
    assert [e["step"] for e in flow_events(flow, lambda events: len(events) >= 2)] == ["n", "m"]


def test_calls_made_outside_any_invocation_record_nothing(resources):
    before = requests.get(f"{settings().aws_endpoint_url}/_sandbox/flow", timeout=10).json()["flows"]
    client("dynamodb").put_item(TableName=resources.user_table, Item={"userName": {"S": "Okta_outside"}})
    after = requests.get(f"{settings().aws_endpoint_url}/_sandbox/flow", timeout=10).json()["flows"]
    assert not [f for f in after if f["flow"].startswith("lambda:") and f not in before]


def test_each_invocation_gets_its_own_trace_header_in_x_rays_format():
    from aws_endpoint.lambda_runtime import tracing

    with tracing.running("req-1") as first, tracing.running("req-2") as second:
        assert TRACE.match(first) and TRACE.match(second) and first != second
        assert tracing.invocation_of({"HTTP_X_AMZN_TRACE_ID": first}) == "req-1"
        assert tracing.invocation_of({"HTTP_X_AMZN_TRACE_ID": second.replace(";Sampled=0", "")}) == "req-2"
    assert tracing.invocation_of({"HTTP_X_AMZN_TRACE_ID": first}) is None
