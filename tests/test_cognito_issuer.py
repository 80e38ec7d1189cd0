"""The pool's issuer on the AWS endpoint: per-pool keys, JWKS, discovery, and the internal sign and
federated-user calls the hosted UI builds on (seed steps e, f, i, j)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import threading
import uuid

import jwt
import pytest
import requests

from sandbox.config import settings
from tests.sandbox_process import start_sandbox


def aws(path: str) -> str:
    return settings().aws_endpoint_url + path


def sandbox_client():
    from sandbox.aws import client

    return client("cognito-idp")


def jwks_of(pool_id: str) -> dict:
    response = requests.get(aws(f"/{pool_id}/.well-known/jwks.json"), timeout=10)
    assert response.status_code == 200
    return response.json()


def sign(pool_id: str, token_use: str, claims: dict) -> str:
    response = requests.post(aws(f"/_sandbox/cognito-idp/{pool_id}/sign"),
                             json={"token_use": token_use, "claims": claims}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["token"]


def test_jwks_has_two_rs256_keys_with_different_kids(resources):
    keys = jwks_of(resources.user_pool_id)["keys"]
    assert len(keys) == 2
    assert {k["kty"] for k in keys} == {"RSA"} and {k["alg"] for k in keys} == {"RS256"}
    assert {k["use"] for k in keys} == {"sig"}
    assert len({k["kid"] for k in keys}) == 2
    assert "dummy" not in {k["kid"] for k in keys}


def test_each_pool_has_its_own_keys(sandbox, resources):
    idp = sandbox_client()
    other = idp.create_user_pool(PoolName=f"other-{uuid.uuid4().hex[:8]}")["UserPool"]["Id"]
    try:
        mine = {k["kid"] for k in jwks_of(resources.user_pool_id)["keys"]}
        theirs = {k["kid"] for k in jwks_of(other)["keys"]}
        assert mine.isdisjoint(theirs)
    finally:
        idp.delete_user_pool(UserPoolId=other)


def test_keys_survive_a_restart_of_the_aws_endpoint(resources):
    before = jwks_of(resources.user_pool_id)
    # A second AWS endpoint on other ports, same state directory: provisioning recreates the same pool
    # id (moto's HASH id strategy), and the keys are read back from disk.
    # Beside this run's own sandbox (offset + 50: parallel runs sit 100 apart, so +100 would take the next
    # run's ports), and below Linux's ephemeral port range.
    offset = int(os.environ.get("SANDBOX_PORT_OFFSET", "0")) + 50
    other = start_sandbox(["--parts", "aws"], env={"SANDBOX_PORT_OFFSET": str(offset)}, name="cognito-restart")
    try:
        port = 4566 + offset
        after = requests.get(f"http://localhost:{port}/{resources.user_pool_id}/.well-known/jwks.json",
                             timeout=10).json()
    finally:
        other.stop()
    assert after == before


def test_discovery_lists_every_endpoint_under_the_pool_issuer(resources):
    doc = requests.get(aws(f"/{resources.user_pool_id}/.well-known/openid-configuration"), timeout=10).json()
    ui = settings().cognito_hosted_ui_url
    assert doc["issuer"] == f"{settings().aws_public_url}/{resources.user_pool_id}" == resources.issuer
    assert doc["jwks_uri"] == f"{resources.issuer}/.well-known/jwks.json"
    assert doc["authorization_endpoint"] == f"{ui}/oauth2/authorize"
    assert doc["token_endpoint"] == f"{ui}/oauth2/token"
    assert doc["userinfo_endpoint"] == f"{ui}/oauth2/userInfo"
    assert doc["end_session_endpoint"] == f"{ui}/logout"
    assert doc["revocation_endpoint"] == f"{ui}/oauth2/revoke"
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    assert doc["response_types_supported"] == ["code", "token"]
    assert doc["scopes_supported"] == ["openid", "email", "phone", "profile"]
    assert doc["subject_types_supported"] == ["public"]
    assert doc["token_endpoint_auth_methods_supported"] == ["client_secret_basic", "client_secret_post"]


def test_discovery_has_exactly_the_keys_real_cognito_publishes_in_its_order(resources):
    # Captures of real pools' documents: openiddict/openiddict-core#1586, localstack/localstack#12914.
    # No grant_types_supported or code_challenge_methods_supported: a client that needs them fails on AWS.
    response = requests.get(aws(f"/{resources.user_pool_id}/.well-known/openid-configuration"), timeout=10)
    assert list(response.json()) == [
        "authorization_endpoint", "end_session_endpoint", "id_token_signing_alg_values_supported", "issuer",
        "jwks_uri", "response_types_supported", "revocation_endpoint", "scopes_supported",
        "subject_types_supported", "token_endpoint", "token_endpoint_auth_methods_supported", "userinfo_endpoint"]


def test_a_pool_without_a_domain_names_its_endpoints_on_the_issuer_host_as_cognito_does(sandbox):
    # openiddict/openiddict-core#1586: a domain-less pool's document; no logout or revocation endpoint.
    idp = sandbox_client()
    pool = idp.create_user_pool(PoolName=f"nodomain-{uuid.uuid4().hex[:8]}")["UserPool"]["Id"]
    try:
        doc = requests.get(aws(f"/{pool}/.well-known/openid-configuration"), timeout=10).json()
    finally:
        idp.delete_user_pool(UserPoolId=pool)
    iss = f"{settings().aws_public_url}/{pool}"
    assert (doc["authorization_endpoint"], doc["token_endpoint"], doc["userinfo_endpoint"]) == (
        f"{iss}/authorize", f"{iss}/token", f"{iss}/userInfo")
    assert "end_session_endpoint" not in doc and "revocation_endpoint" not in doc


@pytest.mark.parametrize("document", ["jwks.json", "openid-configuration"])
def test_an_unknown_pool_gets_404_resource_not_found(sandbox, document):
    response = requests.get(aws(f"/us-east-1_Nope0000/.well-known/{document}"), timeout=10)
    assert response.status_code == 404
    assert response.headers["x-amzn-ErrorType"] == "ResourceNotFoundException"
    assert response.json()["message"] == "User pool us-east-1_Nope0000 does not exist."


@pytest.mark.parametrize("token_use", ["id", "access"])
def test_signed_tokens_verify_against_the_jwks_with_the_key_of_their_use(resources, token_use):
    token = sign(resources.user_pool_id, token_use, {"sub": "abc", "token_use": token_use})
    header = jwt.get_unverified_header(token)
    assert header == {"alg": "RS256", "kid": header["kid"]}
    client = jwt.PyJWKClient(f"{resources.issuer}/.well-known/jwks.json")
    claims = jwt.decode(token, client.get_signing_key_from_jwt(token).key, algorithms=["RS256"])
    assert claims == {"sub": "abc", "token_use": token_use}


def test_id_and_access_tokens_are_signed_with_different_keys(resources):
    kid_id = jwt.get_unverified_header(sign(resources.user_pool_id, "id", {}))["kid"]
    kid_access = jwt.get_unverified_header(sign(resources.user_pool_id, "access", {}))["kid"]
    assert kid_id != kid_access


def test_sign_rejects_an_unknown_token_use(resources):
    response = requests.post(aws(f"/_sandbox/cognito-idp/{resources.user_pool_id}/sign"),
                             json={"token_use": "refresh", "claims": {}}, timeout=10)
    assert response.status_code == 400
    assert response.json()["__type"] == "InvalidParameterException"


def test_sign_tokens_signs_a_sign_ins_access_and_id_tokens_with_at_hash_in_one_call(resources):
    response = requests.post(aws(f"/_sandbox/cognito-idp/{resources.user_pool_id}/sign-tokens"), timeout=10,
                             json={"access": {"sub": "abc", "token_use": "access"},
                                   "id": {"sub": "abc", "token_use": "id"}})
    assert response.status_code == 200, response.text
    tokens = response.json()["tokens"]
    keys = jwt.PyJWKClient(f"{resources.issuer}/.well-known/jwks.json")
    access = jwt.decode(tokens["access"], keys.get_signing_key_from_jwt(tokens["access"]).key, algorithms=["RS256"])
    id_claims = jwt.decode(tokens["id"], keys.get_signing_key_from_jwt(tokens["id"]).key, algorithms=["RS256"])
    assert access == {"sub": "abc", "token_use": "access"}
    digest = hashlib.sha256(tokens["access"].encode()).digest()
    assert id_claims == {"at_hash": base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode(),
                         "sub": "abc", "token_use": "id"}
    assert list(id_claims)[0] == "at_hash"
    assert jwt.get_unverified_header(tokens["id"])["kid"] != jwt.get_unverified_header(tokens["access"])["kid"]
    only_access = requests.post(aws(f"/_sandbox/cognito-idp/{resources.user_pool_id}/sign-tokens"), timeout=10,
                                json={"access": {"sub": "abc"}})
    assert only_access.status_code == 200 and set(only_access.json()["tokens"]) == {"access"}


def test_sign_tokens_refuses_claims_that_are_not_objects_and_unknown_pools(resources):
    response = requests.post(aws(f"/_sandbox/cognito-idp/{resources.user_pool_id}/sign-tokens"), timeout=10,
                             json={"access": {"sub": "abc"}, "id": ["not", "an", "object"]})
    assert response.status_code == 400
    assert response.json()["__type"] == "InvalidParameterException"
    response = requests.post(aws("/_sandbox/cognito-idp/us-east-1_nosuchpool/sign-tokens"), timeout=10,
                             json={"access": {"sub": "abc"}})
    assert response.status_code == 404
    assert response.json()["__type"] == "ResourceNotFoundException"


def create_federated(pool_id: str, username: str, **extra) -> requests.Response:
    return requests.post(aws(f"/_sandbox/cognito-idp/{pool_id}/federated-users"), timeout=10,
                         json={"username": username, **extra})


def test_a_federated_user_is_external_provider_enabled_with_a_uuid_sub(sandbox, resources):
    name = f"Okta_00u{uuid.uuid4().hex[:12]}"
    identities = [{"userId": name[5:], "providerName": "Okta", "providerType": "OIDC", "issuer": None,
                   "primary": "true", "dateCreated": "1700000000000"}]
    response = create_federated(resources.user_pool_id, name, attributes={"email": "x@example.com"},
                                identities=identities)
    assert response.status_code == 201
    user = sandbox_client().admin_get_user(UserPoolId=resources.user_pool_id, Username=name)
    attrs = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert user["UserStatus"] == "EXTERNAL_PROVIDER" and user["Enabled"] is True
    assert uuid.UUID(attrs["sub"]).version == 4
    assert attrs["email"] == "x@example.com"
    assert json.loads(attrs["identities"]) == identities


def test_creating_an_existing_federated_user_is_a_conflict(resources):
    name = f"Okta_00u{uuid.uuid4().hex[:12]}"
    assert create_federated(resources.user_pool_id, name).status_code == 201
    again = create_federated(resources.user_pool_id, name)
    assert again.status_code == 409
    assert again.headers["x-amzn-ErrorType"] == "UsernameExistsException"
    assert again.json()["message"] == "User account already exists"


def test_racing_creations_of_one_federated_user_make_exactly_one(resources):
    name = f"Okta_00u{uuid.uuid4().hex[:12]}"
    statuses: list[int] = []
    barrier = threading.Barrier(8)

    def create():
        barrier.wait()
        statuses.append(create_federated(resources.user_pool_id, name).status_code)

    threads = [threading.Thread(target=create) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [201] + [409] * 7
    users = sandbox_client().list_users(UserPoolId=resources.user_pool_id, Filter=f'username = "{name}"')["Users"]
    assert len(users) == 1


@pytest.mark.parametrize("path", ["sign", "sign-tokens", "federated-users"])
@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data",
                                          None])
def test_internal_calls_take_json_only_so_a_cross_site_form_cannot_reach_them(resources, path, content_type):
    body = json.dumps({"token_use": "access", "claims": {"sub": "x"}, "access": {"sub": "x"},
                       "username": f"Okta_00u{uuid.uuid4().hex[:12]}"})
    headers = {"Content-Type": content_type} if content_type else {}
    response = requests.post(aws(f"/_sandbox/cognito-idp/{resources.user_pool_id}/{path}"), data=body,
                             headers=headers, timeout=10)
    assert response.status_code == 415
    assert response.headers["x-amzn-ErrorType"] == "UnsupportedMediaTypeException"
    assert response.json() == {"__type": "UnsupportedMediaTypeException",
                               "message": "the body must be application/json"}
