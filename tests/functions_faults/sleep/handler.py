"""A PreSignUp trigger that takes longer than anyone waits for it."""

import time


def lambda_handler(event, context):
    time.sleep(8)
    return event
