"""The DynamoDB table of user details the PreSignUp trigger writes (seed step n)."""

from __future__ import annotations

from botocore.exceptions import ClientError

from sandbox.aws import client
from sandbox.provision.common import Log, is_error


def ensure_user_table(name: str, log: Log) -> str:
    ddb = client("dynamodb")
    try:
        return ddb.describe_table(TableName=name)["Table"]["TableArn"]
    except ClientError as exc:
        if not is_error(exc, "ResourceNotFoundException"):
            raise
    log(f"creating DynamoDB table {name}")
    arn = ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "userName", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "userName", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )["TableDescription"]["TableArn"]
    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    return arn
