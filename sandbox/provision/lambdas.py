"""The Lambda functions (zipped from their source folders), their role, and who may invoke them."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import time
import zipfile

from botocore.exceptions import ClientError

from sandbox.aws import client
from sandbox.config import ROOT
from sandbox.provision.common import Log, ProvisionError, is_error

LAMBDA_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                   "Action": "sts:AssumeRole"}],
}


def ensure_lambda_role(role_name: str, table_arn: str, log: Log) -> str:
    iam = client("iam")
    try:
        arn = iam.get_role(RoleName=role_name)["Role"]["Arn"]
    except ClientError as exc:
        if not is_error(exc, "NoSuchEntity"):
            raise
        log(f"creating IAM role {role_name}")
        arn = iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST))["Role"]["Arn"]
    # put_role_policy replaces in place: idempotent by nature.
    iam.put_role_policy(RoleName=role_name, PolicyName="user-table-and-logs", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:Scan"],
             "Resource": table_arn},
            {"Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
             "Resource": "*"},
        ],
    }))
    return arn


def zip_source(folder: str) -> bytes:
    """Zip a function's source folder reproducibly (fixed timestamps, sorted), so an unchanged folder
    has an unchanged CodeSha256 and is not redeployed."""
    root = ROOT / folder
    if not root.is_dir():
        raise ProvisionError(f"a Lambda function's source folder does not exist: {root}")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(root.rglob("*")):
            if path.is_dir() or "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            info = zipfile.ZipInfo(str(path.relative_to(root)), date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes(), zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _code_sha256(code: bytes) -> str:
    return base64.b64encode(hashlib.sha256(code).digest()).decode()


def ensure_function(fn: dict, role_arn: str, runtime: str, table: str, log: Log) -> str:
    lam = client("lambda")
    code = zip_source(fn["source"])
    environment = {"Variables": {**fn["environment"], "USER_TABLE": table}}
    config = dict(Role=role_arn, Handler=fn["handler"], Runtime=runtime, Timeout=fn["timeout"],
                  Environment=environment)
    try:
        current = lam.get_function(FunctionName=fn["name"])["Configuration"]
    except ClientError as exc:
        if not is_error(exc, "ResourceNotFoundException"):
            raise
        log(f"creating Lambda function {fn['name']}")
        for attempt in range(10):
            try:
                return lam.create_function(FunctionName=fn["name"], Code={"ZipFile": code}, Publish=False,
                                           **config)["FunctionArn"]
            except ClientError as err:
                # Real IAM takes a few seconds before a new role can be assumed by Lambda.
                if "cannot be assumed" not in str(err) or attempt == 9:
                    raise
                time.sleep(2)
    if current["CodeSha256"] != _code_sha256(code):
        log(f"updating code of {fn['name']}")
        lam.update_function_code(FunctionName=fn["name"], ZipFile=code)
        lam.get_waiter("function_updated_v2").wait(FunctionName=fn["name"], WaiterConfig={"Delay": 1})
    wanted = {"Handler": fn["handler"], "Runtime": runtime, "Timeout": fn["timeout"],
              "Environment": environment["Variables"], "Role": role_arn}
    have = {"Handler": current.get("Handler"), "Runtime": current.get("Runtime"),
            "Timeout": current.get("Timeout"), "Environment": current.get("Environment", {}).get("Variables", {}),
            "Role": current.get("Role")}
    if wanted != have:
        log(f"updating configuration of {fn['name']}")
        lam.update_function_configuration(FunctionName=fn["name"], **config)
    return current["FunctionArn"]


def allow_invoke(function_name: str, statement_id: str, principal: str, source_arn: str) -> None:
    """Let a service invoke a function (resource policy); an existing statement is kept."""
    try:
        client("lambda").add_permission(FunctionName=function_name, StatementId=statement_id,
                                        Action="lambda:InvokeFunction", Principal=principal,
                                        SourceArn=source_arn)
    except ClientError as exc:
        if not is_error(exc, "ResourceConflictException"):
            raise
