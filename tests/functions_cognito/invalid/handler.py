"""A PreSignUp trigger that answers something that is not the event."""


def lambda_handler(event, context):
    return "ok"
