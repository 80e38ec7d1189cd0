"""Test-only Lambda sources for the Cognito tests (one folder each) and a helper to deploy one."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from pathlib import Path

from sandbox.aws import client
from sandbox.provision import zip_source

HERE = Path(__file__).resolve().parent


@contextmanager
def deployed(source: str, environment: dict | None = None, timeout: int = 5, role_arn: str = ""):
    """Deploy a folder (a path relative to the repo root) as a fresh function; delete it afterwards."""
    lam = client("lambda")
    name = f"test-{Path(source).name}-{uuid.uuid4().hex[:8]}"
    role = role_arn or client("iam").get_role(RoleName="sandbox-lambda-role")["Role"]["Arn"]
    arn = lam.create_function(FunctionName=name, Runtime="python3.12", Role=role, Handler="handler.lambda_handler",
                              Code={"ZipFile": zip_source(source)}, Timeout=timeout,
                              Environment={"Variables": environment or {}})["FunctionArn"]
    try:
        yield name, arn
    finally:
        lam.delete_function(FunctionName=name)


def source(folder: str) -> str:
    """A test function's folder relative to the repo root, as zip_source wants it."""
    return str((HERE / folder).relative_to(HERE.parent.parent))


@contextmanager
def pool_trigger(pool_id: str, trigger: str, function_arn: str | None):
    """Attach `function_arn` as the pool's `trigger` (None detaches it) for the block, then restore."""
    idp = client("cognito-idp")
    before = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"].get("LambdaConfig") or {}
    changed = {k: v for k, v in before.items() if k != trigger}
    if function_arn:
        changed[trigger] = function_arn
    idp.update_user_pool(UserPoolId=pool_id, LambdaConfig=changed)
    try:
        yield
    finally:
        idp.update_user_pool(UserPoolId=pool_id, LambdaConfig=before)
