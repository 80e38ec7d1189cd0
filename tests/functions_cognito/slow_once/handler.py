"""A PreSignUp trigger that stores the user's record as the seed's does (put_item keyed on userName), but
whose first invocation for a user answers after Cognito's 5-second wait: counted in USER_TABLE under
"captured#<userName>"."""

import os
import time

import boto3

DYNAMODB = boto3.client("dynamodb")


def lambda_handler(event, context):
    table = os.environ["USER_TABLE"]
    counted = DYNAMODB.update_item(TableName=table, Key={"userName": {"S": "captured#" + event["userName"]}},
                                   UpdateExpression="ADD invocations :one", ExpressionAttributeValues={":one": {"N": "1"}},
                                   ReturnValues="UPDATED_NEW")
    if counted["Attributes"]["invocations"]["N"] == "1":
        time.sleep(7)
    DYNAMODB.put_item(TableName=table, Item={"userName": {"S": event["userName"]},
                                             "ClientId": {"S": event["callerContext"]["clientId"]}})
    return event
