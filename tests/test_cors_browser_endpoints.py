"""Browser apps call a few Cognito endpoints cross-origin (divergences #12): the issuer's discovery
document and JWKS answer any web origin, preflights included, while the AWS API keeps refusing browser
origins (test_aws_endpoint.py). Header values: sandbox/cors.py (wildcard origin, no credentials;
Cognito's exact values are unconfirmed)."""

from __future__ import annotations

import pytest
import requests

ORIGIN = {"Origin": "http://localhost:3000"}


@pytest.mark.parametrize("document", ["jwks.json", "openid-configuration"])
def test_the_issuer_documents_allow_any_web_origin(resources, document):
    answer = requests.get(f"{resources.issuer}/.well-known/{document}", headers=ORIGIN, timeout=10)
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in answer.headers


@pytest.mark.parametrize("document", ["jwks.json", "openid-configuration"])
def test_a_preflight_to_the_issuer_documents_allows_get_with_the_asked_headers(resources, document):
    answer = requests.options(f"{resources.issuer}/.well-known/{document}", timeout=10,
                              headers={**ORIGIN, "Access-Control-Request-Method": "GET",
                                       "Access-Control-Request-Headers": "x-requested-with"})
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert answer.headers["Access-Control-Allow-Methods"] == "GET"
    assert answer.headers["Access-Control-Allow-Headers"] == "x-requested-with"


def test_an_unknown_pools_document_is_a_404_a_web_page_can_read(sandbox):
    from sandbox.config import settings

    answer = requests.get(f"{settings().aws_endpoint_url}/us-east-1_Nope0000/.well-known/jwks.json", headers=ORIGIN,
                          timeout=10)
    assert answer.status_code == 404
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert answer.json()["message"] == "User pool us-east-1_Nope0000 does not exist."


def test_other_well_known_paths_stay_closed_to_web_pages(sandbox):
    from sandbox.config import settings

    answer = requests.get(f"{settings().aws_endpoint_url}/us-east-1_Nope0000/.well-known/not-a-document.json",
                          headers=ORIGIN, timeout=10)
    assert answer.status_code == 403
    assert answer.headers["x-amzn-ErrorType"] == "AccessDeniedException"
    assert "Access-Control-Allow-Origin" not in answer.headers
