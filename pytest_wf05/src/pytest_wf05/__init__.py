"""pytest fixtures for the WF-05 sign-in sandbox (Django -> Cognito hosted UI -> Okta, PreSignUp -> DynamoDB,
API Gateway with a Cognito authorizer). The fixtures are in `plugin.py`; see this repository's README,
"Test your own app"."""

from pytest_wf05.okta import OktaUser
from pytest_wf05.sandbox import Sandbox, Urls
from pytest_wf05.signin import AppClient, Browser, SignIn

__all__ = ["AppClient", "Browser", "OktaUser", "Sandbox", "SignIn", "Urls"]
