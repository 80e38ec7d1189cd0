"""The AWS endpoint's own guards around moto: web pages cannot drive it through a browser, and what moto
cannot answer gets AWS's error shapes, never a traceback."""

import json

import requests

from sandbox.config import settings

TARGET = {"X-Amz-Target": "AWSCognitoIdentityProviderService.DescribeUserPoolClient",
          "Content-Type": "application/x-amz-json-1.1",
          "Authorization": "AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/cognito-idp/aws4_request, "
                           "SignedHeaders=host, Signature=0"}


def aws(path: str = "/") -> str:
    return settings().aws_endpoint_url + path


def test_a_web_pages_call_to_the_aws_api_is_refused_and_reveals_nothing(resources):
    body = json.dumps({"UserPoolId": resources.user_pool_id, "ClientId": resources.client_id})
    answer = requests.post(aws(), data=body, headers={**TARGET, "Origin": "http://evil.example"}, timeout=10)
    assert answer.status_code == 403
    assert answer.headers["x-amzn-ErrorType"] == "AccessDeniedException"
    assert "Access-Control-Allow-Origin" not in answer.headers
    assert resources.client_secret not in answer.text


def test_a_browsers_preflight_to_the_aws_api_is_refused(sandbox):
    answer = requests.options(aws(), headers={"Origin": "http://evil.example",
                                              "Access-Control-Request-Method": "POST"}, timeout=10)
    assert answer.status_code == 403
    assert "Access-Control-Allow-Origin" not in answer.headers


def test_the_same_call_without_an_origin_is_answered_as_sdks_send_it(resources):
    body = json.dumps({"UserPoolId": resources.user_pool_id, "ClientId": resources.client_id})
    answer = requests.post(aws(), data=body, headers=TARGET, timeout=10)
    assert answer.status_code == 200
    assert answer.json()["UserPoolClient"]["ClientId"] == resources.client_id


def test_internal_sandbox_calls_are_refused_from_a_web_page(resources):
    answer = requests.post(aws(f"/_sandbox/cognito-idp/{resources.user_pool_id}/sign"),
                           json={"token_use": "access", "claims": {}},
                           headers={"Origin": "http://evil.example"}, timeout=10)
    assert answer.status_code == 403


def test_issuer_documents_and_api_invocations_still_answer_browsers(resources):
    origin = {"Origin": "http://localhost:3000"}
    jwks = requests.get(resources.issuer + "/.well-known/jwks.json", headers=origin, timeout=10)
    assert jwks.status_code == 200 and jwks.json()["keys"]
    api = requests.get(resources.api_url + "/public/ping", headers=origin, timeout=10)
    assert api.status_code == 200


def test_a_path_no_service_owns_is_a_404_in_aws_shape(sandbox):
    answer = requests.get(aws("/us-east-1_nosuchpool/.well-known/not-a-document.json"), timeout=10)
    assert answer.status_code == 404
    assert answer.headers["x-amzn-ErrorType"] == "UnknownOperationException"
    assert "Traceback" not in answer.text


def test_a_malformed_signature_is_403_incomplete_signature(sandbox):
    answer = requests.post(aws(), data="{}", headers={**TARGET, "Authorization": "AWS4-HMAC-SHA256 nonsense"},
                           timeout=10)
    assert answer.status_code == 403
    assert answer.headers["x-amzn-ErrorType"] == "IncompleteSignatureException"
