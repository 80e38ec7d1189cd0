"""The pool's Lambda triggers on a hosted-UI (federated) sign-in, invoked through lambda:Invoke with
Cognito's event shapes (Lambda trigger docs; events/presignup_external_provider.json).

Which fire when, for a federated user (AWS's "Lambda triggers for federated users" table, facts.md): a
first sign-in runs PreSignUp_ExternalProvider, PostConfirmation_ConfirmSignUp, then
TokenGeneration_HostedAuth; a later one PreAuthentication_Authentication,
PostAuthentication_Authentication, then TokenGeneration_HostedAuth (no PreAuthentication/PostAuthentication
on the first: amplify-js#5885, KensioSoftware/yulin#1175). A refresh runs TokenGeneration_RefreshTokens."""

from __future__ import annotations

import json

from botocore.exceptions import BotoCoreError, ClientError, ReadTimeoutError

from hosted_ui.errors import InvalidRequest

SDK_VERSION = "aws-sdk-unknown-unknown"  # what real captures of hosted-UI sign-ins show
ATTEMPTS = 3  # Cognito's tries of a trigger that does not answer within its 5 seconds (Triggers._call)


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


def user_attributes(user) -> dict:
    """The stored user as the authentication triggers see it: every attribute as a string (identities
    too, a JSON string), plus `cognito:user_status` (captures of federated PreAuthentication and
    PreTokenGeneration events)."""
    return {**user.attributes, "cognito:user_status": user.status}


def pre_authentication_event(region: str, pool_id: str, client_id: str, user) -> dict:
    # request: userAttributes, validationData ({} from the hosted UI; `userNotFound` only with
    # PreventUserExistenceErrors); response {} (pre-authentication trigger docs, federated captures).
    return {**common("PreAuthentication_Authentication", region, pool_id, user.username, client_id),
            "request": {"userAttributes": user_attributes(user), "validationData": {}}, "response": {}}


def post_authentication_event(region: str, pool_id: str, client_id: str, user) -> dict:
    # request: userAttributes, newDeviceUsed (false without device tracking); response {}
    # (post-authentication trigger docs).
    return {**common("PostAuthentication_Authentication", region, pool_id, user.username, client_id),
            "request": {"userAttributes": user_attributes(user), "newDeviceUsed": False}, "response": {}}


def pre_token_generation_event(source: str, version: int, region: str, pool_id: str, client_id: str, user,
                               groups: list[str], scopes: list[str]) -> dict:
    """V1: request userAttributes + groupConfiguration, response {"claimsOverrideDetails": null}. V2
    (LambdaVersion V2_0): `version` "2", request `scopes` too, response
    {"claimsAndScopeOverrideDetails": null} (pre-token-generation trigger docs; captures)."""
    event = common(source, region, pool_id, user.username, client_id)
    request = {"userAttributes": user_attributes(user),
               "groupConfiguration": {"groupsToOverride": list(groups), "iamRolesToOverride": [],
                                      "preferredRole": None}}
    if version == 2:
        return {**event, "version": "2", "request": {**request, "scopes": list(scopes)},
                "response": {"claimsAndScopeOverrideDetails": None}}
    return {**event, "request": request, "response": {"claimsOverrideDetails": None}}


def valid_presignup_output(output) -> dict:
    """PreSignUp's answer must say booleans (else InvalidLambdaResponseException's message)."""
    response = output.get("response") if isinstance(output, dict) else None
    if not isinstance(response, dict) or not all(
            isinstance(response.get(k, False), bool) for k in ("autoConfirmUser", "autoVerifyEmail", "autoVerifyPhone")):
        raise TriggerFailed("PreSignUp failed with error Unrecognizable lambda output.")
    return output


def function_arn(trigger: str, pool: dict) -> str | None:
    """The trigger's function in the pool's LambdaConfig (PreTokenGeneration's may be in its V2 config)."""
    lambdas = pool.get("LambdaConfig") or {}
    if trigger == "PreTokenGeneration":
        return (lambdas.get("PreTokenGenerationConfig") or {}).get("LambdaArn") or lambdas.get(trigger)
    return lambdas.get(trigger)


class Triggers:
    """Every trigger runs through `run`: looked up in the pool's LambdaConfig (the pool as read once in
    this request), invoked, traced as the event "trigger.invoked" whatever the outcome, and any failure
    raised as TriggerFailed in Cognito's words."""

    def __init__(self, cfg, aws, events):
        self._cfg, self._aws, self._events = cfg, aws, events

    def run(self, trigger: str, pool: dict, event, flow: str | None = None, read=None):
        """None when the pool has no such trigger; else `read(answer)` (the answer by default). `event` is
        the event, or a function that makes it (called only when the trigger is there)."""
        arn = function_arn(trigger, pool)
        if not arn:
            return None
        event = event() if callable(event) else event
        trace = {"trigger": trigger, "event": event, "answer": None, "error": None}
        try:
            trace["answer"] = answer = self._invoke(trigger, arn, event, trace)
            return read(answer) if read else answer
        except TriggerFailed as failure:
            trace["error"] = failure.description
            raise
        finally:
            self._events.emit("trigger.invoked", flow, **trace)

    def _call(self, trigger: str, function_arn: str, event: dict) -> dict:
        """One synchronous invocation; the 5-second wait, then Cognito tries again: "your Lambda function
        must respond within 5 seconds. If it does not, Amazon Cognito retries the call. After 3
        unsuccessful attempts, the function times out" (Lambda trigger docs, "Important considerations").
        So a slow trigger can run up to 3 times: it must be idempotent (trigger/README.md)."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return self._aws.lambda_client().invoke(FunctionName=function_arn, InvocationType="RequestResponse",
                                                        Payload=json.dumps(event).encode())
            except ReadTimeoutError:
                if attempt == ATTEMPTS:
                    raise TriggerFailed(f"{trigger} failed with error Task timed out after "
                                        f"{self._cfg.trigger_timeout:.2f} seconds.") from None
        raise AssertionError("unreachable")

    def _invoke(self, trigger: str, function_arn: str, event: dict, trace: dict) -> dict:
        try:
            answer = self._call(trigger, function_arn, event)
            # Where the function's own calls are recorded (step n: the AWS endpoint, under this request id).
            trace["lambda_request_id"] = answer.get("ResponseMetadata", {}).get("RequestId")
        except ClientError as exc:
            # Cognito's wording when the invocation itself fails (e.g. AccessDeniedException).
            raise TriggerFailed(f"{trigger} invocation failed due to error "
                                f"{exc.response['Error']['Code']}.") from None
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
        return output if isinstance(output, dict) else {}
