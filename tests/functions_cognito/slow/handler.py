"""A PreSignUp trigger slower than Cognito's 5-second wait."""

import time


def lambda_handler(event, context):
    time.sleep(8)
    return event
