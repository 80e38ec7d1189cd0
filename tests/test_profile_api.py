"""Seed steps h–k through the whole path: a token signed by the emulated Cognito's pool key → API Gateway
(Cognito authorizer) → the profile Lambda → DynamoDB (the record the PreSignUp trigger wrote) → 200.

The hosted UI's code flow through the mock Okta is not used yet: the token comes from the pool's own key
through Cognito's internal sign call, with the claims Cognito puts in an access token (facts.md).
"""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path

import requests

from sandbox import flowlog
from sandbox.aws import client
from tests.flows import flow_events, has_steps
from tests.functions_apigw import access_claims, sign

PRESIGNUP_EVENT = json.loads((Path(__file__).parent / "events" / "presignup_external_provider.json").read_text())


def signed_up_user(resources) -> str:
    """Run the real PreSignUp trigger for a fresh federated user (seed steps m, n); return the user name."""
    event = copy.deepcopy(PRESIGNUP_EVENT)
    event["userName"] = f"Okta_00u{uuid.uuid4().hex[:14]}"
    event["userPoolId"] = resources.user_pool_id
    event["callerContext"]["clientId"] = resources.client_id
    answer = client("lambda").invoke(FunctionName="sandbox-presignup", Payload=json.dumps(event).encode())
    assert "FunctionError" not in answer
    return event["userName"]


def test_a_signed_up_user_gets_their_stored_profile_and_claims(resources):
    user = signed_up_user(resources)
    claims = access_claims(resources, username=user)
    token = sign(resources.user_pool_id, "access", claims)
    response = requests.get(f"{resources.api_url}/profile", headers={"Authorization": token}, timeout=30)
    assert response.status_code == 200
    body = response.json()
    assert body["profile"] == {"userName": user, "ClientId": resources.client_id, "Email": "alice@example.com",
                               "given_name": "Alice", "family_name": "Anderson"}
    assert body["claims"]["username"] == user
    assert body["claims"]["scope"] == claims["scope"]
    assert body["claims"]["client_id"] == resources.client_id


def test_a_valid_token_for_a_user_without_a_record_gets_a_json_404(resources):
    token = sign(resources.user_pool_id, "access", access_claims(resources, username=f"Okta_{uuid.uuid4().hex}"))
    response = requests.get(f"{resources.api_url}/profile", headers={"Authorization": token}, timeout=30)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_the_demo_clients_token_is_refused_on_the_admin_route(resources):
    token = sign(resources.user_pool_id, "access", access_claims(resources, username=signed_up_user(resources)))
    response = requests.get(f"{resources.api_url}/admin/profiles", headers={"Authorization": token}, timeout=30)
    assert (response.status_code, response.text) == (401, '{"message":"Unauthorized"}')


def test_a_flagged_request_records_the_verdict_and_the_answer(resources):
    flow = f"test-{uuid.uuid4().hex}"
    token = sign(resources.user_pool_id, "access", access_claims(resources, username=signed_up_user(resources)))
    requests.get(f"{resources.api_url}/profile", headers={"Authorization": token, flowlog.HEADER: flow}, timeout=30)
    requests.get(f"{resources.api_url}/admin/profiles", headers={"Authorization": token, flowlog.HEADER: flow},
                 timeout=30)
    events = flow_events(flow, has_steps("ijk", {"apigateway", "cognito"}, count=2))
    verdicts = [e for e in events if e["step"] == "j"]
    answers = [e["detail"]["status"] for e in events if e["step"] == "k"]
    assert [v["summary"].split(":")[0] for v in verdicts] == ["valid access token", "refused"]
    assert "sandbox-api/admin.read" in verdicts[1]["detail"]["reason"]
    assert answers == [200, 401]
