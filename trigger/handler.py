"""PreSignUp trigger (placeholder until issue 4 lands)."""


def lambda_handler(event, context):
    return event
