"""Each invocation's X-Ray trace header, as Lambda gives it, and what the function's own AWS calls did.

Lambda hands every invocation a trace header (`Lambda-Runtime-Trace-Id`); the runtime puts it in
`_X_AMZN_TRACE_ID` before calling the handler (awslambdaric bootstrap.py, update_xray_env_variable), and
botocore sends it on every AWS call the function makes as `X-Amzn-Trace-Id` (botocore handlers.py,
add_recursion_detection_header: when AWS_LAMBDA_FUNCTION_NAME and _X_AMZN_TRACE_ID are set). So a call that
arrives here with the Root of a running invocation was made by that invocation, with no change to the
function's code: that is how the PreSignUp trigger's PutItem (seed step n) is recorded where it arrives,
under the invocation's request id (`flowlog.invocation_key`), which the hosted UI links to its sign-in's flow.
"""

from __future__ import annotations

import io
import json
import random
import threading
import time
from contextlib import contextmanager

from aws_endpoint import flow as collector
from sandbox import flowlog

_lock = threading.Lock()
_running: dict[str, str] = {}  # trace Root -> the invocation's request id
# DynamoDB's writes: what a function stores (X-Amz-Target DynamoDB_20120810.<operation>).
WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}


def new_trace_header() -> str:
    """Root=1-<epoch seconds, 8 hex>-<96 random bits, 24 hex>;Parent=<16 hex>;Sampled=0 (X-Ray's format)."""
    return (f"Root=1-{int(time.time()):08x}-{random.getrandbits(96):024x};"
            f"Parent={random.getrandbits(64):016x};Sampled=0")


def root_of(header: str) -> str:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == "Root":
            return value
    return ""


@contextmanager
def running(request_id: str):
    """The trace header of one invocation, known here while it runs."""
    header = new_trace_header()
    root = root_of(header)
    with _lock:
        _running[root] = request_id
    try:
        yield header
    finally:
        with _lock:
            _running.pop(root, None)


def invocation_of(environ) -> str | None:
    """The request id of the running invocation that made this call, if one did."""
    header = environ.get("HTTP_X_AMZN_TRACE_ID")
    if not header:
        return None
    with _lock:
        return _running.get(root_of(header))


def recording_writes(environ, start_response, call):
    """Run the WSGI `call`; when it is a DynamoDB write made by a running invocation, record it (step n)."""
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    service, _, operation = target.partition(".")
    request_id = invocation_of(environ) if service.startswith("DynamoDB_") and operation in WRITES else None
    if request_id is None:
        return call(environ, start_response)
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    environ["wsgi.input"] = io.BytesIO(body)
    status = []

    def remember_status(code, headers, *exc_info):
        status.append(code)
        return start_response(code, headers, *exc_info)

    answer = call(environ, remember_status)
    try:
        request = json.loads(body or b"{}")
    except ValueError:
        request = None
    request = request if isinstance(request, dict) else {}
    table, result = str(request.get("TableName", "")), status[0] if status else "no answer"
    # The collector is this endpoint's: stored before answering, within this request's durable change.
    collector.store_event(flowlog.invocation_key(request_id), "lambda", "dynamodb",
                          f"{operation} into {table or 'DynamoDB'}: {result}", "n",
                          {"request": f"{operation} {table}", "item": request.get("Item"), "answer": result,
                           "lambda_request_id": request_id})
    return answer
