"""Seed steps i–j: the COGNITO_USER_POOLS authorizer, one test per rule, each asserting status, body and
the x-amzn-* headers exactly as API Gateway answers."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from jwt import PyJWK

from sandbox.aws import client
from sandbox.config import settings
from tests.functions_apigw import (access_claims, b64url, b64url_json, decode_b64url, id_claims, rest_api, sign)

UNAUTHORIZED = '{"message":"Unauthorized"}'
EXPIRED = '{"message":"The incoming token has expired"}'


def api_url(resources, path: str) -> str:
    return f"{resources.api_url}{path}"


def get(url: str, token: str | None = None, header: str = "Authorization") -> requests.Response:
    return requests.get(url, headers={header: token} if token is not None else {}, timeout=30)


def assert_refused(response: requests.Response, status: int = 401, body: str = UNAUTHORIZED,
                   error_type: str = "UnauthorizedException") -> None:
    assert response.status_code == status
    assert response.text == body
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["x-amzn-ErrorType"] == error_type
    uuid.UUID(response.headers["x-amzn-RequestId"])


@pytest.fixture(scope="module")
def unscoped_api(resources):
    """A REST API whose GET /who takes an ID token (Cognito authorizer, no scopes), MOCK integration."""
    with rest_api(resources.user_pool_arn) as api:
        api.route("GET", "/who", authorization="COGNITO_USER_POOLS", scopes=[], mock_body='{"who":"ok"}')
        api.deploy()
        yield api


def test_a_request_without_a_token_is_unauthorized(resources):
    assert_refused(get(api_url(resources, "/profile")))


def test_an_empty_authorization_header_is_unauthorized(resources):
    assert_refused(get(api_url(resources, "/profile"), ""))


def test_a_token_that_is_not_a_jwt_is_unauthorized(resources):
    assert_refused(get(api_url(resources, "/profile"), "not-a-jwt"))


def test_an_access_token_with_the_methods_scope_reaches_the_integration(resources):
    token = sign(resources.user_pool_id, "access", access_claims(resources))
    response = get(api_url(resources, "/profile"), token)
    assert response.status_code in (200, 404)  # the profile Lambda answered (404: no record for this user)
    assert "x-amzn-ErrorType" not in response.headers


def test_a_bearer_prefix_before_the_token_is_accepted(resources):
    token = sign(resources.user_pool_id, "access", access_claims(resources))
    assert "x-amzn-ErrorType" not in get(api_url(resources, "/profile"), f"Bearer {token}").headers


def test_the_token_is_read_from_the_identity_source_header_whatever_its_case(resources):
    token = sign(resources.user_pool_id, "access", access_claims(resources))
    assert "x-amzn-ErrorType" not in get(api_url(resources, "/profile"), token, header="AUTHORIZATION").headers


def test_an_access_token_without_any_of_the_methods_scopes_is_unauthorized(resources):
    token = sign(resources.user_pool_id, "access", access_claims(resources))  # profile.read, not admin.read
    assert_refused(get(api_url(resources, "/admin/profiles"), token))


def test_an_access_token_with_one_of_the_methods_scopes_is_enough(resources):
    token = sign(resources.user_pool_id, "access",
                 access_claims(resources, scope="openid sandbox-api/admin.read"))
    response = get(api_url(resources, "/admin/profiles"), token)
    assert response.status_code == 200
    assert "profiles" in response.json()


def test_an_id_token_on_a_method_with_scopes_is_unauthorized(resources):
    token = sign(resources.user_pool_id, "id", id_claims(resources, scope="sandbox-api/profile.read"))
    assert_refused(get(api_url(resources, "/profile"), token))


def test_an_id_token_for_a_client_of_the_pool_passes_a_method_without_scopes(resources, unscoped_api):
    token = sign(resources.user_pool_id, "id", id_claims(resources))
    response = get(unscoped_api.url("/who"), token)
    assert response.status_code == 200
    assert response.json() == {"who": "ok"}


def test_an_access_token_on_a_method_without_scopes_is_unauthorized(resources, unscoped_api):
    token = sign(resources.user_pool_id, "access", access_claims(resources))
    assert_refused(get(unscoped_api.url("/who"), token))


def test_an_id_token_whose_audience_is_not_a_client_of_the_pool_is_unauthorized(resources, unscoped_api):
    token = sign(resources.user_pool_id, "id", id_claims(resources, aud="someone-elses-client"))
    assert_refused(get(unscoped_api.url("/who"), token))


def test_an_expired_token_gets_the_expired_message(resources):
    now = int(time.time())
    token = sign(resources.user_pool_id, "access", access_claims(resources, iat=now - 7200, exp=now - 5))
    assert_refused(get(api_url(resources, "/profile"), token), body=EXPIRED)


def test_a_token_with_another_issuer_is_unauthorized_even_when_signed_by_the_pool(resources):
    token = sign(resources.user_pool_id, "access",
                 access_claims(resources, iss=f"https://cognito-idp.us-east-1.amazonaws.com/{resources.user_pool_id}"))
    assert_refused(get(api_url(resources, "/profile"), token))


def test_a_token_without_exp_is_unauthorized(resources):
    claims = access_claims(resources)
    del claims["exp"]
    assert_refused(get(api_url(resources, "/profile"), sign(resources.user_pool_id, "access", claims)))


def test_a_token_from_another_user_pool_is_unauthorized(resources):
    idp = client("cognito-idp")
    other = idp.create_user_pool(PoolName=f"other-{uuid.uuid4().hex[:8]}")["UserPool"]["Id"]
    try:
        own_issuer = sign(other, "access", access_claims(resources, iss=f"{settings().aws_public_url}/{other}"))
        assert_refused(get(api_url(resources, "/profile"), own_issuer))
        # Signed by the other pool but claiming our issuer: its kid is not in our pool's JWKS.
        our_issuer = sign(other, "access", access_claims(resources))
        assert_refused(get(api_url(resources, "/profile"), our_issuer))
    finally:
        idp.delete_user_pool(UserPoolId=other)


def test_a_tampered_payload_is_unauthorized(resources):
    header, _, signature = sign(resources.user_pool_id, "access", access_claims(resources)).split(".")
    forged = b64url_json(access_claims(resources, scope="sandbox-api/admin.read"))
    assert_refused(get(api_url(resources, "/admin/profiles"), f"{header}.{forged}.{signature}"))


def test_an_unsigned_alg_none_token_is_unauthorized(resources):
    kid = json.loads(decode_b64url(sign(resources.user_pool_id, "access", access_claims(resources)).split(".")[0]))["kid"]
    token = f"{b64url_json({'alg': 'none', 'kid': kid})}.{b64url_json(access_claims(resources))}."
    assert_refused(get(api_url(resources, "/profile"), token))


def test_an_hs256_token_keyed_with_the_pools_public_key_is_unauthorized(resources):
    jwks = requests.get(f"{resources.issuer}/.well-known/jwks.json", timeout=10).json()
    jwk = jwks["keys"][0]
    pem = PyJWK.from_dict(jwk).key.public_bytes(serialization.Encoding.PEM,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo)
    signing_input = f"{b64url_json({'alg': 'HS256', 'kid': jwk['kid']})}.{b64url_json(access_claims(resources))}"
    mac = hmac.new(pem, signing_input.encode(), hashlib.sha256).digest()
    assert_refused(get(api_url(resources, "/profile"), f"{signing_input}.{b64url(mac)}"))


def test_a_token_with_an_unknown_kid_is_unauthorized(resources):
    header, payload, signature = sign(resources.user_pool_id, "access", access_claims(resources)).split(".")
    forged = b64url_json({"alg": "RS256", "kid": "made-up-kid"})
    assert_refused(get(api_url(resources, "/profile"), f"{forged}.{payload}.{signature}"))


def test_a_method_open_to_all_needs_no_token(resources):
    response = get(api_url(resources, "/public/ping"))
    assert response.status_code == 200
    assert response.json() == {"ok": True, "service": "profile-api"}


@pytest.mark.parametrize("authorization", ["AWS_IAM", "CUSTOM"])
def test_an_authorization_type_the_sandbox_cannot_enforce_is_refused_not_left_open(resources, authorization):
    with rest_api(resources.user_pool_arn) as api:
        apigw = client("apigateway")
        custom = None
        if authorization == "CUSTOM":
            custom = apigw.create_authorizer(
                restApiId=api.id, name="lambda", type="TOKEN", identitySource="method.request.header.Authorization",
                authorizerUri="arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
                              "arn:aws:lambda:us-east-1:123456789012:function:nope/invocations")["id"]
        api.route("GET", "/guarded", authorization=authorization, authorizer_id=custom, mock_body='{"open":true}')
        api.deploy()
        token = sign(resources.user_pool_id, "access", access_claims(resources))
        response = get(api.url("/guarded"), token)
    assert response.status_code == 500
    assert response.headers["x-amzn-ErrorType"] == "AuthorizerConfigurationException"
    assert "open" not in response.text


# -- identityValidationExpression ("Token validation"): the ID token's aud must match it ----------------

@pytest.fixture(scope="module")
def validated_api(resources):
    """GET /who (no scopes) and GET /scoped (scopes) behind one Cognito authorizer, MOCK integrations."""
    with rest_api(resources.user_pool_arn) as api:
        api.route("GET", "/who", authorization="COGNITO_USER_POOLS", scopes=[], mock_body='{"who":"ok"}')
        api.route("GET", "/scoped", authorization="COGNITO_USER_POOLS", scopes=["sandbox-api/profile.read"],
                  mock_body='{"scoped":"ok"}')
        api.deploy()
        yield api


def set_validation_expression(api, expression: str) -> None:
    client("apigateway").update_authorizer(restApiId=api.id, authorizerId=api.authorizer_id, patchOperations=[
        {"op": "replace", "path": "/identityValidationExpression", "value": expression}])


def test_an_id_token_whose_aud_matches_the_validation_expression_passes(resources, validated_api):
    set_validation_expression(validated_api, "[0-9a-z]+")
    response = get(validated_api.url("/who"), sign(resources.user_pool_id, "id", id_claims(resources)))
    assert response.status_code == 200 and response.json() == {"who": "ok"}


@pytest.mark.parametrize("expression", ["not-our-client", "^$", "{prefix}"])
def test_an_id_token_whose_aud_does_not_match_the_whole_validation_expression_is_unauthorized(
        resources, validated_api, expression):
    set_validation_expression(validated_api, expression.format(prefix=resources.client_id[:-1]))
    assert_refused(get(validated_api.url("/who"), sign(resources.user_pool_id, "id", id_claims(resources))))


def test_an_access_token_has_no_aud_so_a_validation_expression_refuses_it(resources, validated_api):
    set_validation_expression(validated_api, ".*")
    token = sign(resources.user_pool_id, "access", access_claims(resources))
    assert_refused(get(validated_api.url("/scoped"), token))
    set_validation_expression(validated_api, "")  # a change through the AWS API applies to the next request
    assert get(validated_api.url("/scoped"), token).json() == {"scoped": "ok"}
