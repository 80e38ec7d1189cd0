"""The pool's Lambda triggers on a federated first sign-in, invoked through lambda:Invoke with
Cognito's event shapes (Lambda trigger docs; events/presignup_external_provider.json)."""

from __future__ import annotations

import json

from botocore.exceptions import BotoCoreError, ClientError, ReadTimeoutError

from hosted_ui.aws import lambda_client
from hosted_ui.errors import InvalidRequest
from hosted_ui.settings import settings

SDK_VERSION = "aws-sdk-unknown-unknown"  # what real captures of hosted-UI sign-ins show


class TriggerFailed(InvalidRequest):
    """The hosted UI sends the browser back with invalid_request and this description."""


def common(source: str, region: str, pool_id: str, username: str, client_id: str) -> dict:
    return {"version": "1", "triggerSource": source, "region": region, "userPoolId": pool_id,
            "userName": username, "callerContext": {"awsSdkVersion": SDK_VERSION, "clientId": client_id}}


def presignup_event(region: str, pool_id: str, username: str, client_id: str, attributes: dict) -> dict:
    return {
        **common("PreSignUp_ExternalProvider", region, pool_id, username, client_id),
        "request": {"userAttributes": {**attributes, "cognito:email_alias": "", "cognito:phone_number_alias": ""},
                    "validationData": None},
        "response": {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False},
    }


def post_confirmation_event(region: str, pool_id: str, username: str, client_id: str, attributes: dict) -> dict:
    return {
        **common("PostConfirmation_ConfirmSignUp", region, pool_id, username, client_id),
        "request": {"userAttributes": {**attributes, "cognito:user_status": "EXTERNAL_PROVIDER"}},
        "response": {},
    }


def _valid_presignup_output(output) -> bool:
    response = output.get("response") if isinstance(output, dict) else None
    return isinstance(response, dict) and all(
        isinstance(response.get(k, False), bool) for k in ("autoConfirmUser", "autoVerifyEmail", "autoVerifyPhone"))


def invoke(trigger: str, function_arn: str, event: dict) -> dict:
    """Run the trigger; any failure raises TriggerFailed with Cognito's description."""
    try:
        answer = lambda_client().invoke(FunctionName=function_arn, InvocationType="RequestResponse",
                                        Payload=json.dumps(event).encode())
    except ReadTimeoutError:
        # Cognito gives a trigger 5 seconds.
        raise TriggerFailed(f"{trigger} failed with error Task timed out after "
                            f"{settings().trigger_timeout:.2f} seconds.") from None
    except ClientError as exc:
        # Cognito's wording when the invocation itself fails (e.g. AccessDeniedException).
        raise TriggerFailed(f"{trigger} invocation failed due to error {exc.response['Error']['Code']}.") from None
    except BotoCoreError as exc:
        raise TriggerFailed(f"{trigger} invocation failed due to error {type(exc).__name__}.") from None
    raw = answer["Payload"].read()
    try:
        output = json.loads(raw or b"null")
    except ValueError:
        output = None
    if answer.get("FunctionError"):
        message = output.get("errorMessage") if isinstance(output, dict) else None
        raise TriggerFailed(f"{trigger} failed with error {message or 'Unhandled'}.")
    if trigger == "PreSignUp" and not _valid_presignup_output(output):
        # InvalidLambdaResponseException's message.
        raise TriggerFailed(f"{trigger} failed with error Unrecognizable lambda output.")
    return output if isinstance(output, dict) else {}
