"""One invocation, start to end: find the function, take a worker, run, and answer as Lambda does.

Other extensions (API Gateway, Cognito triggers) call `invoke()` in-process; the HTTP route calls it too.
"""

from __future__ import annotations

import base64
import json
import math
import random
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from aws_endpoint.lambda_runtime import bootstrap, tracing
from aws_endpoint.lambda_runtime.errors import InvalidRequestContent, RequestTooLarge
from aws_endpoint.lambda_runtime.functions import FunctionSpec, find_function, parse_function_name
from aws_endpoint.lambda_runtime.log_stream import show
from aws_endpoint.lambda_runtime.pool import pool_for
from aws_endpoint.lambda_runtime.worker import Answer, Worker
from sandbox import json_body
from sandbox.config import settings

# Lambda quotas: 6 MB synchronous request and response payloads; the Tail is the log's last 4 KB
# (Lambda quotas page; Invoke API reference, LogType).
MAX_PAYLOAD_BYTES = 6 * 1024 * 1024
LOG_TAIL_BYTES = 4096
INIT_TIMEOUT_SECONDS = 10  # Lambda's limit on the init phase


@dataclass(frozen=True)
class InvokeResult:
    status_code: int
    payload: bytes
    function_error: str | None  # "Unhandled" or None
    executed_version: str
    log_tail: str  # the invocation's log, at most its last 4 KB
    request_id: str

    @property
    def log_result(self) -> str:
        """The `X-Amz-Log-Result` header's value: the tail, base64."""
        return base64.b64encode(self.log_tail.encode()).decode()


def invoke(function: str, payload: bytes, region: str | None = None, account: str | None = None,
           qualifier: str | None = None, *, encoded_by_caller: bool = False) -> InvokeResult:
    """Invoke a function synchronously (RequestResponse). Raises a LambdaError for what Lambda rejects
    before running anything: unknown function, malformed name, payload that is not JSON or too large.
    `encoded_by_caller`: the payload is the caller's own json.dumps output (API Gateway's proxy event), so
    only its size is checked, not its syntax again."""
    spec = find_function(function, qualifier, region or settings().aws_region, account)
    event = check_payload(payload, parse=not encoded_by_caller)
    used = parse_function_name(function, qualifier).qualifier
    return run(spec, event, f"{spec.arn}:{used}" if used else spec.arn)


def check_payload(payload: bytes, parse: bool = True) -> bytes:
    """The event as JSON bytes; Lambda rejects anything else before it reaches the function."""
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise RequestTooLarge(f"Request must be smaller than {MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation")
    if not payload.strip():
        return b"{}"  # an Invoke without Payload delivers an empty object
    if not parse:
        return payload
    try:
        json_body.parse(payload, max_depth=None)  # deep nesting too: Lambda's 400, not our RecursionError
    except json_body.BadJSON as exc:
        raise InvalidRequestContent(f"Could not parse request body into json: Could not parse payload into json: {exc}") from None
    return payload


def new_request_id() -> str:
    """A random (version 4) UUID from the process's PRNG: uuid4() asks the OS for 16 bytes each time, a
    system call per invocation for an id that is no secret."""
    return str(uuid.UUID(int=random.getrandbits(128), version=4))


def run(spec: FunctionSpec, event: bytes, invoked_arn: str) -> InvokeResult:
    request_id = new_request_id()
    pool = pool_for(spec)
    worker, cold = pool.acquire()
    try:
        with tracing.running(request_id) as trace_header:
            return _run_on(worker, cold, spec, event, invoked_arn, request_id, trace_header)
    finally:
        pool.release(worker)


def _run_on(worker: Worker, cold: bool, spec: FunctionSpec, event: bytes, invoked_arn: str,
            request_id: str, trace_header: str = "") -> InvokeResult:
    log: list[str] = []
    started = time.perf_counter()
    answer = worker.initialise(INIT_TIMEOUT_SECONDS) if cold else Answer(bootstrap.READY)
    if cold:
        log += worker.log.take("init")
    platform_line(spec, log, f"START RequestId: {request_id} Version: {spec.version}")
    if answer.kind == bootstrap.READY:
        started = time.perf_counter()
        answer = worker.invoke(request_id, event, invoked_arn, spec.timeout, trace_header)
        log += worker.log.take(request_id)
    duration_ms = (time.perf_counter() - started) * 1000
    payload, error = outcome(answer, worker, spec, request_id, log)
    memory_mb = answer.memory_kb // 1024 if answer.memory_kb else worker.max_memory_mb()
    platform_line(spec, log, f"END RequestId: {request_id}",
                  report_line(request_id, duration_ms, spec, worker, cold, memory_mb))
    if error is None and len(payload) > MAX_PAYLOAD_BYTES:
        message = f"Response payload size exceeded maximum allowed payload size ({MAX_PAYLOAD_BYTES} bytes)."
        payload, error = error_payload("Function.ResponseSizeTooLarge", message), "Unhandled"
    tail = ("\n".join(log) + "\n").encode()[-LOG_TAIL_BYTES:].decode(errors="ignore")
    return InvokeResult(200, payload, error, spec.version, tail, request_id)


def outcome(answer: Answer, worker: Worker, spec: FunctionSpec, request_id: str,
            log: list[str]) -> tuple[bytes, str | None]:
    """The response payload and X-Amz-Function-Error for what the worker answered (or did not)."""
    if answer.kind == bootstrap.RESULT:
        return answer.body, None
    if answer.kind in (bootstrap.ERROR, bootstrap.INIT_ERROR):
        return answer.body, "Unhandled"
    if answer.timed_out:
        # The current wording (errorType Sandbox.Timedout); the log keeps the classic
        # "<time> <id> Task timed out after N.NN seconds" line (seen in CloudWatch logs).
        seconds = f"{spec.timeout:.2f}"
        platform_line(spec, log, f"{timestamp()} {request_id} Task timed out after {seconds} seconds")
        return error_payload("Sandbox.Timedout",
                             f"RequestId: {request_id} Error: Task timed out after {seconds} seconds"), "Unhandled"
    status = worker.exit_status()
    platform_line(spec, log, f"RequestId: {request_id} Error: Runtime exited with error: {status}")
    return error_payload("Runtime.ExitError",
                         f"RequestId: {request_id} Error: Runtime exited with error: {status}"), "Unhandled"


def error_payload(error_type: str, message: str) -> bytes:
    return json.dumps({"errorMessage": message, "errorType": error_type}).encode()


def report_line(request_id: str, duration_ms: float, spec: FunctionSpec, worker: Worker, cold: bool,
                memory: int | None) -> str:
    """Lambda's REPORT line: tab-separated, Init Duration on a cold start only."""
    fields = [f"REPORT RequestId: {request_id}", f"Duration: {duration_ms:.2f} ms",
              f"Billed Duration: {math.ceil(duration_ms)} ms", f"Memory Size: {spec.memory_size} MB"]
    if memory is not None:
        fields.append(f"Max Memory Used: {memory} MB")
    if cold and worker.init_ms is not None:
        fields.append(f"Init Duration: {worker.init_ms:.2f} ms")
    return "\t".join(fields) + "\t"


def platform_line(spec: FunctionSpec, log: list[str], *lines: str) -> None:
    log.extend(lines)
    show(spec.name, *lines)


def timestamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
