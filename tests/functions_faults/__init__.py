"""Helpers for the reliability tests: what the pool and the table hold for a person, and settings that are
changed through boto3 for one test and always put back (test-only Lambda sources live beside this file)."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from pathlib import Path

from boto3.dynamodb.types import TypeDeserializer

from sandbox.aws import client
from sandbox.provision import zip_source

HERE = Path(__file__).resolve().parent
IDP_NAME = "Okta"
_plain = TypeDeserializer()


def pool_users(pool_id: str, email: str) -> list[dict]:
    """Every pool user whose email is `email` (list_users with Cognito's filter syntax)."""
    found = client("cognito-idp").list_users(UserPoolId=pool_id, Filter=f'email = "{email}"')["Users"]
    return [u for u in found if {a["Name"]: a["Value"] for a in u.get("Attributes", [])}.get("email") == email]


def records(table: str, email: str) -> list[dict]:
    """Every item of the trigger's table whose Email is `email`."""
    ddb, items, start = client("dynamodb"), [], {}
    while True:
        page = ddb.scan(TableName=table, FilterExpression="Email = :e",
                        ExpressionAttributeValues={":e": {"S": email}}, **start)
        items += [{k: _plain.deserialize(v) for k, v in item.items()} for item in page["Items"]]
        if "LastEvaluatedKey" not in page:
            return items
        start = {"ExclusiveStartKey": page["LastEvaluatedKey"]}


@contextmanager
def deployed(source: str, environment: dict | None = None, timeout: int = 10):
    """Deploy a folder's handler (a path under the repository) as a fresh function; yield its ARN."""
    lam = client("lambda")
    name = f"test-faults-{Path(source).name.replace('_', '-')}-{uuid.uuid4().hex[:8]}"
    role = client("iam").get_role(RoleName="sandbox-lambda-role")["Role"]["Arn"]
    arn = lam.create_function(FunctionName=name, Runtime="python3.12", Role=role, Handler="handler.lambda_handler",
                              Code={"ZipFile": zip_source(source)}, Timeout=timeout,
                              Environment={"Variables": environment or {}})["FunctionArn"]
    try:
        yield arn
    finally:
        lam.delete_function(FunctionName=name)


def fault_source(folder: str) -> str:
    return str((HERE / folder).relative_to(HERE.parent.parent))


@contextmanager
def presignup(pool_id: str, function_arn: str):
    """The pool's PreSignUp pointed at another function for the block (update_user_pool), then restored."""
    idp = client("cognito-idp")
    pool = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    # UpdateUserPool resets every setting it is not given (AWS's API reference, and moto likewise):
    # send back everything describe_user_pool showed that UpdateUserPool takes.
    accepted = idp.meta.service_model.operation_model("UpdateUserPool").input_shape.members
    before = {k: v for k, v in pool.items() if k in accepted and k != "UserPoolId"}
    idp.update_user_pool(UserPoolId=pool_id, **{**before, "LambdaConfig": {**pool.get("LambdaConfig", {}),
                                                                              "PreSignUp": function_arn}})
    try:
        yield
    finally:
        idp.update_user_pool(UserPoolId=pool_id, **before)


@contextmanager
def identity_provider_details(pool_id: str, **changes):
    """The Okta IdP's ProviderDetails changed for the block (update_identity_provider), then restored."""
    idp = client("cognito-idp")
    before = idp.describe_identity_provider(UserPoolId=pool_id, ProviderName=IDP_NAME)["IdentityProvider"]
    details = {k: v for k, v in before["ProviderDetails"].items() if k in (
        "client_id", "client_secret", "authorize_scopes", "attributes_request_method", "oidc_issuer")}
    idp.update_identity_provider(UserPoolId=pool_id, ProviderName=IDP_NAME, ProviderDetails={**details, **changes})
    try:
        yield
    finally:
        idp.update_identity_provider(UserPoolId=pool_id, ProviderName=IDP_NAME, ProviderDetails=details)
