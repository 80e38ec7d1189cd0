"""The invocation URL's routing: unknown APIs, stages and routes; path precedence; MOCK; live changes."""

from __future__ import annotations

import uuid

import pytest
import requests
from moto.backends import get_backend
from moto.core import DEFAULT_ACCOUNT_ID

from aws_endpoint.apigateway import routing
from aws_endpoint.apigateway.errors import MissingAuthenticationToken
from sandbox.aws import client
from sandbox.config import settings
from tests.functions_apigw import rest_api

MISSING = '{"message":"Missing Authentication Token"}'


def assert_missing_token(response: requests.Response) -> None:
    assert response.status_code == 403
    assert response.text == MISSING
    assert response.headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"
    assert response.headers["x-amzn-RequestId"]


@pytest.fixture(scope="module")
def mock_api(resources):
    with rest_api() as api:
        api.route("GET", "/pets", mock_body='{"route":"pets"}')
        api.route("GET", "/pets/{id}", mock_body='{"route":"pet"}')
        api.route("GET", "/pets/mine", mock_body='{"route":"mine"}')
        api.route("ANY", "/pets/{id}/{proxy+}", mock_body='{"route":"pet-any"}')
        api.route("GET", "/pets/{id}/toys", mock_body='{"route":"toys"}')
        api.deploy()
        yield api


def test_an_unknown_api_is_missing_authentication_token(resources):
    assert_missing_token(requests.get(f"{settings().aws_public_url}/restapis/nosuchapi/dev/_user_request_/profile",
                                      timeout=10))


def test_an_unknown_stage_is_missing_authentication_token(resources):
    assert_missing_token(requests.get(resources.api_url.replace("/dev/", "/prod/") + "/profile", timeout=10))


def test_an_unknown_path_is_missing_authentication_token(resources):
    assert_missing_token(requests.get(resources.api_url + "/nothing/here", timeout=10))


def test_a_method_the_resource_lacks_is_missing_authentication_token(resources):
    assert_missing_token(requests.post(resources.api_url + "/public/ping", timeout=10))


@pytest.mark.parametrize("path,route", [
    ("/pets", "pets"), ("/pets/7", "pet"), ("/pets/mine", "mine"), ("/pets/7/toys", "toys"),
    ("/pets/7/toys/ball", "pet-any"), ("/pets/7/vet", "pet-any"),
])
def test_a_literal_part_beats_a_parameter_which_beats_a_greedy_proxy(mock_api, path, route):
    response = requests.get(mock_api.url(path), timeout=10)
    assert response.status_code == 200
    assert response.json() == {"route": route}


def test_a_method_defined_on_the_resource_beats_any(mock_api):
    assert requests.post(mock_api.url("/pets/7/toys"), timeout=10).json() == {"route": "pet-any"}
    assert requests.get(mock_api.url("/pets/7/toys"), timeout=10).json() == {"route": "toys"}


def test_a_route_added_through_the_aws_api_is_served_at_once(mock_api):
    assert_missing_token(requests.get(mock_api.url("/owners"), timeout=10))
    mock_api.route("GET", "/owners", mock_body='{"route":"owners"}')
    assert requests.get(mock_api.url("/owners"), timeout=10).json() == {"route": "owners"}


def test_a_deleted_api_is_missing_authentication_token_again(resources):
    with rest_api() as api:
        api.route("GET", "/x", mock_body="{}")
        api.deploy()
        url = api.url("/x")
        assert requests.get(url, timeout=10).status_code == 200
    assert_missing_token(requests.get(url, timeout=10))


def test_a_resource_deleted_through_the_aws_api_is_missing_authentication_token_at_once(mock_api):
    mock_api.route("GET", "/gone", mock_body='{"route":"gone"}')
    assert requests.get(mock_api.url("/gone"), timeout=10).json() == {"route": "gone"}
    client("apigateway").delete_resource(restApiId=mock_api.id, resourceId=mock_api.by_path.pop("/gone"))
    assert_missing_token(requests.get(mock_api.url("/gone"), timeout=10))


# -- the resource-path table: built once per API, rebuilt when its resources change ---------------------

@pytest.fixture
def moto_api():
    """A REST API in this process's own moto backend (not the sandbox's), to watch the table cache."""
    backend = get_backend("apigateway")[DEFAULT_ACCOUNT_ID]["us-east-1"]
    api = backend.create_rest_api(f"routing-{uuid.uuid4().hex[:8]}", "")
    pets = backend.create_resource(api.id, api.default.id, "pets")
    backend.put_method(api.id, pets.id, "GET", "NONE")
    api.stages["test"] = object()  # resolve only looks the stage up
    yield backend, api
    backend.delete_rest_api(api.id)


def test_the_resource_path_table_is_built_once_and_reused_while_the_resources_are_unchanged(moto_api):
    _, api = moto_api
    builds = routing.TABLES.builds
    for _ in range(5):
        assert routing.resolve(api.id, "test", "/pets", "GET").resource_path == "/pets"
    assert routing.TABLES.builds == builds + 1


def test_the_resource_path_table_is_rebuilt_when_a_resource_is_added_or_deleted(moto_api):
    backend, api = moto_api
    routing.resolve(api.id, "test", "/pets", "GET")
    builds = routing.TABLES.builds
    toys = backend.create_resource(api.id, api.default.id, "toys")
    backend.put_method(api.id, toys.id, "GET", "NONE")
    assert routing.resolve(api.id, "test", "/toys", "GET").resource_path == "/toys"
    backend.delete_resource(api.id, toys.id)
    with pytest.raises(MissingAuthenticationToken):
        routing.resolve(api.id, "test", "/toys", "GET")
    assert routing.TABLES.builds == builds + 2


def test_a_method_added_to_a_known_resource_needs_no_rebuild(moto_api):
    backend, api = moto_api
    routing.resolve(api.id, "test", "/pets", "GET")
    builds = routing.TABLES.builds
    pets = next(r for r in api.resources.values() if r.path_part == "pets")
    backend.put_method(api.id, pets.id, "DELETE", "NONE")
    assert routing.resolve(api.id, "test", "/pets", "DELETE").method.http_method == "DELETE"
    assert routing.TABLES.builds == builds


# API Gateway reads the Authorization header of an unknown route as a SigV4 signature (divergences #6).
INCOMPLETE = [
    ("Bearer x", "'x' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer x'."),
    ("eyJhbGciOiJSUzI1NiJ9.e30.sig", "Authorization header requires 'Credential' parameter. Authorization header "
     "requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header "
     "requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=eyJhbGciOiJSUzI1NiJ9.e30.sig"),
    ("AWS4-HMAC-SHA256 Credential= AKID/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host",
     "'AKID/20260101/us-east-1/execute-api/aws4_request' not a valid key=value pair (missing equal-sign) in "
     "Authorization header: 'AWS4-HMAC-SHA256 Credential= AKID/20260101/us-east-1/execute-api/aws4_request, "
     "SignedHeaders=host'."),
]


@pytest.mark.parametrize("authorization, message", INCOMPLETE, ids=["bearer", "bare-token", "spaced-credential"])
@pytest.mark.parametrize("where", ["unknown-path", "unknown-method", "unknown-stage"])
def test_an_unknown_route_asked_with_an_authorization_header_is_incomplete_signature(resources, authorization,
                                                                                     message, where):
    path, method = {"unknown-path": ("/dev/_user_request_/nothing-here", "GET"),
                    "unknown-method": ("/dev/_user_request_/profile", "DELETE"),
                    "unknown-stage": ("/nostage/_user_request_/profile", "GET")}[where]
    response = requests.request(method, f"{settings().aws_endpoint_url}/restapis/{resources.api_id}{path}",
                                headers={"Authorization": authorization}, timeout=10)
    assert response.status_code == 403
    assert response.headers["x-amzn-ErrorType"] == "IncompleteSignatureException"
    assert response.json() == {"message": message}
    assert response.text.startswith('{"message":"')  # compact, as the other 4xx gateway responses


def test_with_a_date_header_the_incomplete_signature_asks_only_for_the_missing_parameters(resources):
    response = requests.get(f"{resources.api_url}/nothing-here", timeout=10,
                            headers={"Authorization": "Bearer a=b", "X-Amz-Date": "20260101T000000Z"})
    assert response.json() == {"message": "Authorization header requires 'Credential' parameter. Authorization "
                                          "header requires 'Signature' parameter. Authorization header requires "
                                          "'SignedHeaders' parameter. Authorization=Bearer a=b"}


def test_a_known_route_with_a_bad_token_is_still_unauthorized_not_a_signature_error(resources):
    response = requests.get(f"{resources.api_url}/profile", headers={"Authorization": "Bearer x"}, timeout=10)
    assert response.status_code == 401
    assert response.json() == {"message": "Unauthorized"}
