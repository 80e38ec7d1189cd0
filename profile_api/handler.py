"""The profile API behind API Gateway (seed step k): the caller's record written by the PreSignUp trigger.

Deployable to AWS unchanged: stdlib and boto3 only; the table's name comes from USER_TABLE. API Gateway
has already checked the token and its scope; the handler trusts `requestContext.authorizer.claims`.
"""

import os

import boto3
from botocore.config import Config

from profiles import handle

# Created once per execution environment.
DYNAMODB = boto3.client("dynamodb", config=Config(connect_timeout=2, read_timeout=5,
                                                  retries={"max_attempts": 2, "mode": "standard"}))


def lambda_handler(event, context):
    return handle(event, DYNAMODB, os.environ.get("USER_TABLE", ""))
