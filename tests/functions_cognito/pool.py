"""The pool's LambdaConfig changed for one test and always put back, every other setting kept."""

from __future__ import annotations

from contextlib import contextmanager

from sandbox.aws import client


@contextmanager
def lambda_config(pool_id: str, **triggers):
    """The pool's LambdaConfig with `triggers` set (a None value removes one) for the block, then exactly
    what was there. UpdateUserPool resets every setting it is not given (AWS's API reference, and moto
    likewise), so everything describe_user_pool showed that UpdateUserPool takes is sent back each time."""
    idp = client("cognito-idp")
    pool = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    accepted = idp.meta.service_model.operation_model("UpdateUserPool").input_shape.members
    before = {k: v for k, v in pool.items() if k in accepted and k != "UserPoolId"}
    changed = {**(pool.get("LambdaConfig") or {}), **triggers}
    idp.update_user_pool(UserPoolId=pool_id, **{**before, "LambdaConfig": {k: v for k, v in changed.items()
                                                                           if v is not None}})
    try:
        yield
    finally:
        idp.update_user_pool(UserPoolId=pool_id, **before)
