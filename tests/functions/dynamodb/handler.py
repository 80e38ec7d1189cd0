"""Write the event to DynamoDB with a module-level boto3 client and no endpoint in the code."""

import os

import boto3

table = boto3.resource("dynamodb").Table(os.environ["TABLE"])


def lambda_handler(event, context):
    table.put_item(Item={"userName": event["userName"], "requestId": context.aws_request_id})
    return table.get_item(Key={"userName": event["userName"]})["Item"]
