"""Seed step k, the integration side: the Lambda proxy event (payload 1.0) field by field against the
reference capture, and the mapping of the function's answer (502 for an error or a malformed answer)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
import requests

from tests.functions_apigw import access_claims, deployed, lambda_uri, rest_api, sign

REFERENCE = json.loads((Path(__file__).parent / "events" / "apigw_proxy_v1.json").read_text())
INTERNAL = '{"message": "Internal server error"}'


@pytest.fixture(scope="module")
def echo_api(resources):
    with deployed("echo_event") as arn, rest_api(resources.user_pool_arn) as api:
        uri = lambda_uri(arn, resources.region)
        api.route("GET", "/profile", uri=uri, authorization="COGNITO_USER_POOLS",
                  scopes=["sandbox-api/profile.read"])
        api.route("POST", "/items/{id}", uri=uri)
        api.route("ANY", "/files/{proxy+}", uri=uri)
        api.deploy(variables={"table": "sandbox-user-details"})
        yield api


@pytest.fixture(scope="module")
def answers_api(resources):
    with deployed("proxy_answers") as arn, rest_api() as api:
        api.route("GET", "/answer", uri=lambda_uri(arn, resources.region))
        api.deploy()
        yield api


def test_the_event_has_exactly_the_reference_events_fields(resources, echo_api):
    token = sign(resources.user_pool_id, "access", access_claims(resources))
    event = requests.get(echo_api.url("/profile"), headers={"Authorization": token, "Accept": "application/json"},
                         timeout=30).json()
    assert set(event) == set(REFERENCE)
    assert set(event["requestContext"]) == set(REFERENCE["requestContext"])
    assert set(event["requestContext"]["identity"]) == set(REFERENCE["requestContext"]["identity"])
    assert set(event["requestContext"]["authorizer"]) == {"claims"}
    assert set(REFERENCE["headers"]) <= set(event["headers"])


def test_the_event_fields_carry_the_request_as_api_gateway_does(resources, echo_api):
    claims = access_claims(resources)
    token = sign(resources.user_pool_id, "access", claims)
    event = requests.get(echo_api.url("/profile"), headers={"Authorization": token}, timeout=30).json()
    context = event["requestContext"]
    assert (event["resource"], event["path"], event["httpMethod"]) == ("/profile", "/profile", "GET")
    assert event["headers"]["Authorization"] == token
    assert event["multiValueHeaders"]["Authorization"] == [token]
    assert event["headers"]["X-Forwarded-Proto"] == "http"
    assert event["headers"]["X-Forwarded-For"] == context["identity"]["sourceIp"] == "127.0.0.1"
    assert event["queryStringParameters"] is None and event["multiValueQueryStringParameters"] is None
    assert event["pathParameters"] is None
    assert event["stageVariables"] == {"table": "sandbox-user-details"}
    assert event["body"] is None and event["isBase64Encoded"] is False
    assert context["resourcePath"] == "/profile" and context["httpMethod"] == "GET"
    assert context["path"] == "/test/profile" and context["stage"] == "test"
    assert context["apiId"] == context["domainPrefix"] == echo_api.id
    assert context["domainName"] == f"{echo_api.id}.execute-api.{resources.region}.amazonaws.com"
    assert context["accountId"] == resources.account_id and context["protocol"] == "HTTP/1.1"
    assert re.fullmatch(r"[0-9a-f-]{36}", context["requestId"])
    assert re.fullmatch(r"\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000", context["requestTime"])
    assert isinstance(context["requestTimeEpoch"], int)
    assert context["identity"]["userAgent"] == requests.utils.default_user_agent()
    assert all(context["identity"][k] is None for k, v in REFERENCE["requestContext"]["identity"].items() if v is None)


def test_a_clients_x_forwarded_for_reaches_the_function_with_the_callers_address_appended(echo_api):
    # API Gateway appends the caller's address to the client's own X-Forwarded-For, and sets the port and
    # protocol it was called on, whatever the client sent for those.
    event = requests.post(echo_api.url("/items/7"), data="{}", timeout=30, headers={
        "X-Forwarded-For": "203.0.113.7, 198.51.100.2", "X-Forwarded-Proto": "ftp", "X-Forwarded-Port": "1"}).json()
    assert event["headers"]["X-Forwarded-For"] == "203.0.113.7, 198.51.100.2, 127.0.0.1"
    assert event["multiValueHeaders"]["X-Forwarded-For"] == ["203.0.113.7, 198.51.100.2, 127.0.0.1"]
    assert event["headers"]["X-Forwarded-Proto"] == "http"
    assert event["headers"]["X-Forwarded-Port"] == echo_api.url("").split(":")[2].split("/")[0]
    assert event["requestContext"]["identity"]["sourceIp"] == "127.0.0.1"


def test_every_authorizer_claim_reaches_the_lambda_as_a_string(resources, echo_api):
    claims = access_claims(resources)
    token = sign(resources.user_pool_id, "access", claims)
    passed = requests.get(echo_api.url("/profile"), headers={"Authorization": token}, timeout=30).json()[
        "requestContext"]["authorizer"]["claims"]
    assert set(passed) == set(claims)
    assert all(isinstance(v, str) for v in passed.values())
    assert passed["auth_time"] == str(claims["auth_time"]) and passed["version"] == "2"
    date = "%a %b %d %H:%M:%S UTC %Y"  # as in the reference event: "Thu Nov 26 11:15:00 UTC 2026"
    assert passed["exp"] == datetime.fromtimestamp(claims["exp"], timezone.utc).strftime(date)
    assert passed["iat"] == datetime.fromtimestamp(claims["iat"], timezone.utc).strftime(date)
    assert passed["scope"] == claims["scope"]


@pytest.mark.parametrize("groups,passed", [
    (["team_manager"], "team_manager"),  # repost.aws QUFJRBaEJRSmmqarNrvCWoQA: one group, a plain string
    (["group-a", "group-b"], "group-a,group-b"),  # several: comma-joined, no brackets, no spaces
])
def test_an_array_claim_reaches_the_lambda_comma_joined_as_a_rest_apis_cognito_authorizer_passes_it(
        resources, echo_api, groups, passed):
    token = sign(resources.user_pool_id, "access", access_claims(resources, **{"cognito:groups": groups}))
    claims = requests.get(echo_api.url("/profile"), headers={"Authorization": token}, timeout=30).json()[
        "requestContext"]["authorizer"]["claims"]
    assert claims["cognito:groups"] == passed


def test_path_parameters_query_strings_and_body_are_passed(echo_api):
    event = requests.post(echo_api.url("/items/42?tag=a&tag=b&q="), data="héllo", timeout=30).json()
    assert event["resource"] == "/items/{id}" and event["path"] == "/items/42"
    assert event["pathParameters"] == {"id": "42"}
    assert event["queryStringParameters"] == {"tag": "b", "q": ""}
    assert event["multiValueQueryStringParameters"] == {"tag": ["a", "b"], "q": [""]}
    assert event["body"] == "héllo" and event["isBase64Encoded"] is False
    assert "authorizer" not in event["requestContext"]


def test_a_greedy_proxy_resource_with_any_takes_every_method_and_the_rest_of_the_path(echo_api):
    event = requests.delete(echo_api.url("/files/a/b/c.txt"), timeout=30).json()
    assert event["resource"] == "/files/{proxy+}" and event["httpMethod"] == "DELETE"
    assert event["pathParameters"] == {"proxy": "a/b/c.txt"}


def test_headers_multi_value_headers_and_status_are_mapped_from_the_answer(answers_api):
    response = requests.get(answers_api.url("/answer?shape=multi"), timeout=30)
    assert response.status_code == 201 and response.text == "made"
    assert response.headers["X-One"] == "1" and response.headers["X-Flag"] == "true"
    assert response.raw.headers.getlist("Set-Cookie") == ["a=1", "b=2"]
    assert response.headers["Content-Type"] == "application/json"  # API Gateway's default


def test_a_base64_answer_is_decoded_to_bytes(answers_api):
    response = requests.get(answers_api.url("/answer?shape=binary"), timeout=30)
    assert response.content == b"\x89PNG\r\n" and response.headers["Content-Type"] == "image/png"


@pytest.mark.parametrize("shape,status,body", [("string-status", 202, "accepted"), ("no-status", 200, "defaulted")])
def test_a_status_code_as_a_digit_string_or_absent_is_accepted(answers_api, shape, status, body):
    response = requests.get(answers_api.url(f"/answer?shape={shape}"), timeout=30)
    assert (response.status_code, response.text) == (status, body)


@pytest.mark.parametrize("shape", ["raise", "extra-key", "dict-body", "bad-status", "number-header", "not-an-object"])
def test_a_function_error_or_a_malformed_answer_is_a_502(answers_api, shape):
    response = requests.get(answers_api.url(f"/answer?shape={shape}"), timeout=30)
    assert response.status_code == 502
    assert response.text == INTERNAL
    assert response.headers["x-amzn-ErrorType"] == "InternalServerErrorException"
    assert response.headers["x-amzn-RequestId"]
