"""A PreSignUp trigger that refuses every sign-up, with markup in its message (it is echoed back)."""


class SignUpRefused(Exception):
    pass


def lambda_handler(event, context):
    raise SignUpRefused("Sign-ups are closed <b>today</b> & tomorrow")
