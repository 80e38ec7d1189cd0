"""The invocation URL's routing: unknown APIs, stages and routes; path precedence; MOCK; live changes."""

from __future__ import annotations

import pytest
import requests

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
