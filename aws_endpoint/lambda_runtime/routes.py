"""The Invoke API over HTTP: parse the request, call invoke.py, answer with Lambda's status and headers."""

from __future__ import annotations

import json
import logging
import re
import threading

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from aws_endpoint.lambda_runtime.errors import InvalidParameterValue, LambdaError
from aws_endpoint.lambda_runtime.functions import find_function
from aws_endpoint.lambda_runtime.invoke import check_payload, invoke
from sandbox.config import settings

log = logging.getLogger("sandbox.lambda")

# SigV4: Authorization: AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, ...
CREDENTIAL_SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/([^/,\s]+)/")
INVOCATION_TYPES = ("RequestResponse", "Event", "DryRun")


def request_region(request: Request) -> str:
    match = CREDENTIAL_SCOPE.search(request.headers.get("Authorization", ""))
    return match.group(1) if match else settings().aws_region


def request_account(request: Request) -> str | None:
    return request.headers.get("x-moto-account-id")  # moto server's per-request account override


def render_error(error: LambdaError) -> Response:
    """Every Invoke API error, in Lambda's shape: botocore reads the code from x-amzn-ErrorType."""
    return Response(json.dumps({"Type": error.type, error.message_key: error.message}), status=error.status,
                    content_type="application/json", headers={"x-amzn-ErrorType": error.code})


def invoke_function(request: Request, function: str) -> Response:
    """POST /2015-03-31/functions/<FunctionName>/invocations (Lambda Invoke API)."""
    try:
        return _invoke(request, function)
    except LambdaError as error:
        return render_error(error)
    except Exception:  # a bug of ours: Lambda's ServiceException, and the traceback in the sandbox's log
        log.exception("Lambda invoke of %s failed", function)
        return render_error(LambdaError("ServiceException"))


def invoke_async(request: Request, function: str) -> Response:
    """POST /2014-11-13/functions/<FunctionName>/invoke-async/ (InvokeAsync, deprecated for Invoke with
    InvocationType Event, and still served by Lambda): queued as an Event invocation, 202 with an empty body
    (the API reference: "Upon success, it returns empty response"; the SDKs read Status from the status code)."""
    try:
        _queue_event(function, request.get_data(), request_region(request), request_account(request), None)
    except LambdaError as error:
        return render_error(error)
    return Response(status=202)


def _queue_event(function: str, payload: bytes, region: str, account: str | None, qualifier: str | None) -> None:
    find_function(function, qualifier, region, account)
    check_payload(payload)
    threading.Thread(target=invoke, args=(function, payload, region, account, qualifier),
                     name=f"lambda-event-{function}", daemon=True).start()


def _invoke(request: Request, function: str) -> Response:
    invocation_type = request.headers.get("X-Amz-Invocation-Type", "RequestResponse")
    if invocation_type not in INVOCATION_TYPES:
        raise InvalidParameterValue(f"1 validation error detected: Value '{invocation_type}' at 'invocationType' "
                                    f"failed to satisfy constraint: Member must satisfy enum value set: "
                                    f"[{', '.join(INVOCATION_TYPES)}]")
    region, account = request_region(request), request_account(request)
    qualifier = request.args.get("Qualifier")
    payload = request.get_data()
    if invocation_type == "DryRun":
        # Checks the caller may invoke the function; runs nothing (Invoke API reference, InvocationType).
        find_function(function, qualifier, region, account)
        check_payload(payload)
        return Response(status=204)
    if invocation_type == "Event":
        _queue_event(function, payload, region, account, qualifier)
        return Response(status=202)
    result = invoke(function, payload, region, account, qualifier)
    headers = {"X-Amz-Executed-Version": result.executed_version, "x-amzn-RequestId": result.request_id}
    if result.function_error:
        headers["X-Amz-Function-Error"] = result.function_error
    if request.headers.get("X-Amz-Log-Type") == "Tail":
        headers["X-Amz-Log-Result"] = result.log_result
    return Response(result.payload, status=result.status_code, content_type="application/json", headers=headers)


RULES = [
    Rule("/2015-03-31/functions/<function>/invocations", methods=["POST"], endpoint=invoke_function),
    Rule("/2014-11-13/functions/<function>/invoke-async/", methods=["POST"], endpoint=invoke_async),
]
