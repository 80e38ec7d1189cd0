"""A PreSignUp trigger that stores the exact event it received (as JSON) and counts its invocations in
USER_TABLE under "captured#<userName>", then allows the sign-up."""

import json
import os

import boto3

DYNAMODB = boto3.client("dynamodb")


def lambda_handler(event, context):
    DYNAMODB.update_item(TableName=os.environ["USER_TABLE"], Key={"userName": {"S": "captured#" + event["userName"]}},
                         UpdateExpression="SET event = :e ADD invocations :one",
                         ExpressionAttributeValues={":e": {"S": json.dumps(event)}, ":one": {"N": "1"}})
    return event
