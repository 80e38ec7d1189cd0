"""A PreAuthentication (or PostAuthentication) trigger that refuses every sign-in."""


def lambda_handler(event, context):
    raise Exception("Sign-ins are paused")
