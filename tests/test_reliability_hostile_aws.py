"""Hostile input, property-based, at the AWS endpoint's API in every protocol the sandbox uses (JSON 1.0
DynamoDB, JSON 1.1 Cognito, query IAM/STS, rest-json Lambda/API Gateway) and at every JSON endpoint of
the sandbox with deeply nested and wrongly typed JSON: never a 5xx, always the protocol's error shape.

Calls that could change state only ever go out missing a required member (refused before the service
runs), so the shared sandbox keeps its resources."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import quote

import botocore.session
import pytest
import requests
from hypothesis import given, strategies as st

from sandbox.config import settings
from tests.test_reliability_hostile import BOUNDED, OKTA_ADMIN, TRACEBACK, hostile, json_values

MODELS = {name: botocore.session.get_session().get_service_model(name)
          for name in ("dynamodb", "cognito-idp", "iam", "sts", "lambda", "apigateway")}
READ_ONLY = re.compile(r"^(Describe|Get|List)")
DEEP = ["[" * 100_000, "{\"a\":" * 100_000, "[" * 5000 + "]" * 5000, "{\"a\":[" * 3000 + "]}" * 3000]
content_types = st.sampled_from(["application/x-amz-json-1.0", "application/x-amz-json-1.1", "application/json",
                                 "application/x-www-form-urlencoded", "text/plain", "", "<b>x</b>"])


def aws(path: str = "/") -> str:
    return settings().aws_endpoint_url + path


def signed(service: str) -> dict:
    return {"Authorization": f"AWS4-HMAC-SHA256 Credential=test/20261201/us-east-1/{service}/aws4_request, "
                             "SignedHeaders=host, Signature=0"}


def operations(service: str) -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(MODELS[service].operation_names))


def members(data, service: str, operation: str) -> dict:
    """Some of the operation's members with hostile values; a call that may write lacks a required one."""
    shape = MODELS[service].operation_model(operation).input_shape
    names = sorted(shape.members) if shape else []
    chosen = data.draw(st.dictionaries(st.sampled_from(names), json_values, max_size=4)) if names else {}
    required = sorted(shape.required_members) if shape else []
    if not READ_ONLY.match(operation):
        if not required:
            return {"__unused": 1}  # nothing this call could write with: sent as is, refused or harmless
        chosen.pop(data.draw(st.sampled_from(required)), None)
    return chosen


def body(data, params: dict) -> bytes:
    raw = data.draw(st.one_of(st.just(None), hostile, st.sampled_from(DEEP)))
    return (json.dumps(params) if raw is None else raw).encode("utf-8", "surrogatepass")


def assert_no_server_error(response: requests.Response) -> None:
    assert response.status_code < 500, (response.request.method, response.url[:200], response.status_code,
                                        response.text[:300])
    assert not TRACEBACK.search(response.text), response.text[:500]


def assert_json_error(response: requests.Response) -> None:
    if response.status_code == 404 and "Page Not Found" in response.text:
        return  # DynamoDB's front end, for a content type it does not take
    assert response.headers.get("x-amzn-ErrorType"), response.headers
    assert isinstance(response.json(), dict), response.text[:300]


@BOUNDED
@given(data=st.data(), service=st.sampled_from(["dynamodb", "cognito-idp"]))
def test_json_protocol_calls_answer_garbage_in_the_json_error_shape(sandbox, data, service):
    prefix = MODELS[service].metadata["targetPrefix"]
    operation = data.draw(st.one_of(operations(service), hostile.filter(str.isprintable)))  # a header can carry it
    known = operation in MODELS[service].operation_names
    params = members(data, service, operation) if known else data.draw(st.dictionaries(hostile, json_values, max_size=3))
    headers = {"X-Amz-Target": f"{prefix}.{operation}".encode("utf-8", "surrogatepass").decode("latin-1", "replace"),
               "Content-Type": data.draw(content_types),
               **(signed(service) if data.draw(st.booleans()) else {})}
    response = requests.post(aws(), data=body(data, params), headers=headers, timeout=20)
    assert_no_server_error(response)
    if response.status_code >= 400:
        assert_json_error(response)
        if "json" in response.headers.get("Content-Type", ""):
            assert "__type" in response.json(), response.text[:300]


@BOUNDED
@given(data=st.data(), service=st.sampled_from(["iam", "sts"]))
def test_query_protocol_calls_answer_garbage_in_an_xml_error_response(sandbox, data, service):
    operation = data.draw(st.one_of(operations(service), hostile))
    known = operation in MODELS[service].operation_names
    params = {k: json.dumps(v) if not isinstance(v, str) else v
              for k, v in (members(data, service, operation) if known else {}).items()}
    form = {**params, **data.draw(st.fixed_dictionaries({}, optional={
        "Action": st.just(operation), "Version": st.one_of(st.just(MODELS[service].api_version), hostile),
        "Action[]": st.just(operation)}))}
    if not READ_ONLY.match(operation) and "Action" in form and known:
        shape = MODELS[service].operation_model(operation).input_shape
        if shape is None or not shape.required_members:
            form.pop("Action")  # nothing to leave out: sent without its action
    kind = data.draw(st.sampled_from(["form", "query", "json", "hostile"]))
    headers = signed(service)
    if kind == "form":
        response = requests.post(aws(), data=form, headers=headers, timeout=20)
    elif kind == "query":
        response = requests.get(aws(), params=form, headers=headers, timeout=20)
    else:
        response = requests.post(aws(), headers={**headers, "Content-Type": data.draw(content_types)}, timeout=20,
                                 data=json.dumps(form) if kind == "json" else body(data, {}))
    assert_no_server_error(response)
    if response.status_code >= 400:
        root = ET.fromstring(response.text)
        assert root.tag.endswith("ErrorResponse"), response.text[:300]
        fields = {element.tag.rsplit("}", 1)[-1]: element.text for element in root.iter()}
        assert fields.get("Code") and fields.get("RequestId"), response.text[:300]


def request_path(data, service: str, operation: str) -> str:
    """The operation's requestUri with every label filled by a hostile (never an existing) value."""
    uri = MODELS[service].operation_model(operation).http["requestUri"]
    return re.sub(r"\{[^}]+\}", lambda _: quote(data.draw(hostile.filter(bool))[:80], safe=""), uri)


@BOUNDED
@given(data=st.data(), service=st.sampled_from(["lambda", "apigateway"]))
def test_rest_json_calls_answer_garbage_with_x_amzn_error_type(sandbox, data, service):
    operation = data.draw(operations(service))
    http = MODELS[service].operation_model(operation).http
    path = data.draw(st.one_of(st.just(None), hostile.map(lambda s: "/" + quote(s[:100], safe="/"))))
    if path is None:
        path = request_path(data, service, operation)
        method = data.draw(st.one_of(st.just(http["method"]), st.sampled_from(["GET", "PUT", "PATCH", "DELETE"])))
    else:
        method = data.draw(st.sampled_from(["GET", "POST"]))
    if "invocations" in path:
        return  # the sandbox's own Invoke route: covered by the Lambda invoke tests
    if method != "GET" and "{" not in http["requestUri"] and not READ_ONLY.match(operation):
        shape = MODELS[service].operation_model(operation).input_shape
        if shape is None or not shape.required_members:
            method = "GET"
    params = members(data, service, operation)
    response = requests.request(method, aws(path), data=body(data, params), timeout=20,
                                headers={**signed(service), "Content-Type": data.draw(content_types)})
    assert_no_server_error(response)
    if response.status_code >= 400 and method != "HEAD":
        assert response.headers.get("x-amzn-ErrorType"), (response.status_code, response.headers, response.text[:200])


# -- deeply nested and wrongly typed JSON at every JSON endpoint ----------------------------------------

def json_endpoints(resources) -> list[tuple[str, dict]]:
    pool = f"{settings().aws_endpoint_url}/_sandbox/cognito-idp/{resources.user_pool_id}"
    okta = settings().okta_public_url
    return [
        (f"{okta}/api/v1/users", OKTA_ADMIN), (f"{okta}/_sandbox/scenarios", OKTA_ADMIN),
        (aws("/_sandbox/flow/events"), {}), (f"{pool}/sign", {}), (f"{pool}/sign-tokens", {}),
        (f"{pool}/federated-users", {}),
        (aws("/2015-03-31/functions/sandbox-profile-api/invocations"), signed("lambda")),
    ]


@pytest.mark.parametrize("payload", DEEP, ids=["arrays", "objects", "arrays-5000", "mixed-3000"])
def test_deeply_nested_json_is_a_client_error_at_every_json_endpoint(resources, payload):
    for url, headers in json_endpoints(resources):
        response = requests.post(url, data=payload, headers={**headers, "Content-Type": "application/json"},
                                 timeout=20)
        assert 400 <= response.status_code < 500, (url, response.status_code, response.text[:200])
        assert not TRACEBACK.search(response.text)
        assert isinstance(response.json(), dict), (url, response.text[:200])


@BOUNDED
@given(body=st.one_of(json_values, st.fixed_dictionaries({}, optional={
    "token_use": st.one_of(st.sampled_from(["id", "access"]), json_values), "claims": json_values,
    "access": json_values, "id": json_values, "events": json_values, "links": json_values,
    "profile": json_values, "credentials": json_values, "userName": json_values})),
    which=st.integers(min_value=0, max_value=5))
def test_wrongly_typed_json_is_never_a_server_error_at_any_json_endpoint(resources, body, which):
    url, headers = json_endpoints(resources)[which]
    response = requests.post(url, json=body, headers=headers, timeout=20)
    assert response.status_code < 500, (url, body, response.status_code, response.text[:200])
    assert not TRACEBACK.search(response.text)


@pytest.mark.parametrize("claims", [{"iss": 7}, {"iss": ["x"]}, {"sub": {"a": 1}}, {"exp": "tomorrow"},
                                    {"iat": True}, {"aud": [1]}, {"jti": None}])
def test_internal_sign_call_with_a_claim_of_the_wrong_type_is_400_invalid_parameter(resources, claims):
    response = requests.post(f"{settings().aws_endpoint_url}/_sandbox/cognito-idp/{resources.user_pool_id}/sign",
                             json={"token_use": "access", "claims": claims}, timeout=10)
    assert response.status_code == 400
    assert response.json()["__type"] == "InvalidParameterException"
    assert response.headers["x-amzn-ErrorType"] == "InvalidParameterException"
