"""A PreSignUp trigger slower than Cognito's 5-second wait; with USER_TABLE set it counts its invocations
under "captured#<userName>" first."""

import os
import time

import boto3


def lambda_handler(event, context):
    if os.environ.get("USER_TABLE"):
        boto3.client("dynamodb").update_item(
            TableName=os.environ["USER_TABLE"], Key={"userName": {"S": "captured#" + event["userName"]}},
            UpdateExpression="ADD invocations :one", ExpressionAttributeValues={":one": {"N": "1"}})
    time.sleep(8)
    return event
