"""The user pool's PreSignUp trigger (seed steps m, n): store a federated user's details in DynamoDB.

Deployable to AWS unchanged: stdlib and boto3 only; the table's name comes from USER_TABLE.
"""

import json
import os

import boto3
from botocore.config import Config

from user_details import handle

# Created once per execution environment. Short timeouts: Cognito waits 5 s for a trigger.
DYNAMODB = boto3.client("dynamodb", config=Config(connect_timeout=2, read_timeout=3,
                                                  retries={"max_attempts": 2, "mode": "standard"}))


def lambda_handler(event, context):
    print(json.dumps({"received_event": event}, separators=(",", ":")))
    return handle(event, DYNAMODB, os.environ.get("USER_TABLE", ""))
