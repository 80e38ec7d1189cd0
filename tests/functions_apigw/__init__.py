"""Test-only Lambda sources for the API Gateway tests, and helpers: throwaway REST APIs, signed tokens."""

from __future__ import annotations

import base64
import json
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests

from sandbox.aws import client
from sandbox.config import settings
from sandbox.provision import zip_source

HERE = Path(__file__).resolve().parent
STAGE = "test"


def source(folder: str) -> str:
    return str((HERE / folder).relative_to(HERE.parent.parent))


@contextmanager
def deployed(folder: str, environment: dict | None = None):
    """Deploy one of this folder's functions under a fresh name; delete it afterwards. Yields its ARN."""
    lam = client("lambda")
    name = f"test-apigw-{folder.replace('_', '-')}-{uuid.uuid4().hex[:8]}"
    role = client("iam").get_role(RoleName="sandbox-lambda-role")["Role"]["Arn"]
    arn = lam.create_function(FunctionName=name, Runtime="python3.12", Role=role, Handler="handler.lambda_handler",
                              Code={"ZipFile": zip_source(source(folder))}, Timeout=10,
                              Environment={"Variables": environment or {}})["FunctionArn"]
    try:
        yield arn
    finally:
        lam.delete_function(FunctionName=name)


def lambda_uri(function_arn: str, region: str) -> str:
    return f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function_arn}/invocations"


@dataclass
class Api:
    id: str
    authorizer_id: str | None
    by_path: dict[str, str] = field(default_factory=dict)

    def url(self, path: str, stage: str = STAGE) -> str:
        return f"{settings().aws_public_url}/restapis/{self.id}/{stage}/_user_request_{path}"

    def resource(self, path: str) -> str:
        """The resource id of `path`, creating each missing segment."""
        apigw = client("apigateway")
        current = "/"
        for segment in [s for s in path.split("/") if s]:
            child = current.rstrip("/") + "/" + segment
            if child not in self.by_path:
                self.by_path[child] = apigw.create_resource(restApiId=self.id, parentId=self.by_path[current],
                                                            pathPart=segment)["id"]
            current = child
        return self.by_path[current]

    def route(self, method: str, path: str, *, uri: str | None = None, authorization: str = "NONE",
              scopes: list[str] | None = None, authorizer_id: str | None = None, mock_body: str | None = None) -> None:
        """A method with an AWS_PROXY integration to `uri`, or a MOCK answering `mock_body`."""
        apigw = client("apigateway")
        resource_id = self.resource(path)
        extra = {}
        if authorization in ("COGNITO_USER_POOLS", "CUSTOM"):
            extra = {"authorizerId": authorizer_id or self.authorizer_id, "authorizationScopes": scopes or []}
        apigw.put_method(restApiId=self.id, resourceId=resource_id, httpMethod=method,
                         authorizationType=authorization, **extra)
        if mock_body is not None:
            apigw.put_integration(restApiId=self.id, resourceId=resource_id, httpMethod=method, type="MOCK",
                                  requestTemplates={"application/json": '{"statusCode": 200}'})
            apigw.put_method_response(restApiId=self.id, resourceId=resource_id, httpMethod=method, statusCode="200")
            apigw.put_integration_response(restApiId=self.id, resourceId=resource_id, httpMethod=method,
                                           statusCode="200", selectionPattern="",
                                           responseTemplates={"application/json": mock_body})
        else:
            apigw.put_integration(restApiId=self.id, resourceId=resource_id, httpMethod=method, type="AWS_PROXY",
                                  integrationHttpMethod="POST", uri=uri)

    def deploy(self, stage: str = STAGE, variables: dict | None = None) -> None:
        client("apigateway").create_deployment(restApiId=self.id, stageName=stage, variables=variables or {})


@contextmanager
def rest_api(pool_arn: str | None = None):
    """A fresh REST API (with a COGNITO_USER_POOLS authorizer on `pool_arn`); deleted afterwards."""
    apigw = client("apigateway")
    api_id = apigw.create_rest_api(name=f"test-apigw-{uuid.uuid4().hex[:8]}")["id"]
    authorizer_id = None
    if pool_arn:
        authorizer_id = apigw.create_authorizer(restApiId=api_id, name="cognito", type="COGNITO_USER_POOLS",
                                                providerARNs=[pool_arn],
                                                identitySource="method.request.header.Authorization")["id"]
    root = next(r["id"] for r in apigw.get_resources(restApiId=api_id)["items"] if r["path"] == "/")
    try:
        yield Api(api_id, authorizer_id, {"/": root})
    finally:
        apigw.delete_rest_api(restApiId=api_id)


# -- Tokens -------------------------------------------------------------------------------------------

def sign(pool_id: str, token_use: str, claims: dict) -> str:
    """A token signed with the pool's own key, through the emulated Cognito's internal sign call."""
    answer = requests.post(f"{settings().aws_endpoint_url}/_sandbox/cognito-idp/{pool_id}/sign",
                           json={"token_use": token_use, "claims": claims}, timeout=10)
    answer.raise_for_status()
    return answer.json()["token"]


def access_claims(resources, scope: str = "openid email profile sandbox-api/profile.read", **extra) -> dict:
    """An access token's claims as Cognito issues them for the demo client (facts.md)."""
    now = int(time.time())
    return {"sub": str(uuid.uuid4()), "token_use": "access", "scope": scope, "auth_time": now,
            "iss": resources.issuer, "exp": now + 3600, "iat": now, "jti": str(uuid.uuid4()),
            "origin_jti": str(uuid.uuid4()), "event_id": str(uuid.uuid4()), "client_id": resources.client_id,
            "username": "okta_00u1alice0sandbox0x7", "version": 2, **extra}


def id_claims(resources, **extra) -> dict:
    now = int(time.time())
    return {"sub": str(uuid.uuid4()), "aud": resources.client_id, "token_use": "id", "auth_time": now,
            "iss": resources.issuer, "exp": now + 3600, "iat": now, "jti": str(uuid.uuid4()),
            "cognito:username": "okta_00u1alice0sandbox0x7", "email": "alice@example.com",
            "email_verified": True, "cognito:groups": ["sandbox-users", "admins"], **extra}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_json(value: dict) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def decode_b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
