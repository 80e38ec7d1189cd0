"""A PreSignUp trigger that refuses every sign-up."""


def lambda_handler(event, context):
    raise Exception("Sign-ups are closed")
