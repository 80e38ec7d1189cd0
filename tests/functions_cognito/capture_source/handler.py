"""Any trigger: stores the exact event it received (as JSON) in USER_TABLE under
"captured#<triggerSource>#<userName>", with a count and the order it came in (a table-wide counter), then
answers the event unchanged."""

import json
import os

import boto3

DYNAMODB = boto3.client("dynamodb")


def lambda_handler(event, context):
    table = os.environ["USER_TABLE"]
    order = DYNAMODB.update_item(TableName=table, Key={"userName": {"S": "captured#order#" + event["userName"]}},
                                 UpdateExpression="ADD n :one", ExpressionAttributeValues={":one": {"N": "1"}},
                                 ReturnValues="UPDATED_NEW")["Attributes"]["n"]["N"]
    DYNAMODB.update_item(TableName=table,
                         Key={"userName": {"S": f"captured#{event['triggerSource']}#{event['userName']}"}},
                         UpdateExpression="SET event = :e, seq = :s ADD invocations :one",
                         ExpressionAttributeValues={":e": {"S": json.dumps(event)}, ":s": {"N": order},
                                                    ":one": {"N": "1"}})
    return event
