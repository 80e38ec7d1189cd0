"""The sandbox's side of one worker process: fork or start it isolated, send it invocations, wait with a deadline."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from aws_endpoint.lambda_runtime import bootstrap, template
from aws_endpoint.lambda_runtime.code_cache import code_dir, layers_dir
from aws_endpoint.lambda_runtime.functions import FunctionSpec
from aws_endpoint.lambda_runtime.log_stream import LogStream
from aws_endpoint.lambda_runtime.python_runtime import interpreter, runtime_libraries, search_path
from aws_endpoint.lambda_runtime.template import Forked
from sandbox.config import settings


@dataclass(frozen=True)
class Answer:
    """What came back on the pipe: a frame kind and its body, or None when the worker died or ran out of time."""

    kind: bytes | None
    body: bytes = b""
    timed_out: bool = False
    memory_kb: int = 0  # the worker's peak resident memory when it answered (0: unknown)


def runtime_environment() -> dict[str, str]:
    """What Lambda's runtime sets for every function (a function's Environment may change these)."""
    return {"PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"), "LANG": "en_US.UTF-8", "TZ": ":UTC"}


def lambda_environment(spec: FunctionSpec, task_root: Path) -> dict[str, str]:
    """The function's variables plus what Lambda sets (Lambda docs: "Defined runtime environment variables")."""
    s = settings()
    now = datetime.now(timezone.utc)
    env = {
        **runtime_environment(),
        # Not a Lambda variable: points the function's boto3 at the sandbox with no code change.
        "AWS_ENDPOINT_URL": s.backchannel(s.aws_endpoint_url),
        **dict(spec.environment),
        # Reserved by Lambda: a function's own Environment cannot override these.
        "_HANDLER": spec.handler,
        "AWS_REGION": spec.region,
        "AWS_DEFAULT_REGION": spec.region,
        "AWS_EXECUTION_ENV": f"AWS_Lambda_{spec.runtime}",
        "AWS_LAMBDA_FUNCTION_NAME": spec.name,
        "AWS_LAMBDA_FUNCTION_VERSION": spec.version,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory_size),
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{spec.name}",
        "AWS_LAMBDA_LOG_STREAM_NAME": f"{now:%Y/%m/%d}/[{spec.version}]{uuid.uuid4().hex}",
        "LAMBDA_TASK_ROOT": str(task_root),
        "LAMBDA_RUNTIME_DIR": str(runtime_libraries()),
        "PYTHONPATH": str(runtime_libraries()),  # as on Lambda; the worker's own sys.path is set by bootstrap.py
        # The execution role's temporary credentials on Lambda; moto accepts any.
        "AWS_ACCESS_KEY_ID": "ASIASANDBOXLAMBDA000",
        "AWS_SECRET_ACCESS_KEY": "sandbox-lambda-secret",
        "AWS_SESSION_TOKEN": "sandbox-lambda-session-token",
    }
    return env


class Started(subprocess.Popen):
    """A worker started as its own interpreter: a Popen with the two questions Worker asks of a process."""

    def running(self) -> bool:
        return self.poll() is None

    def exit_code(self, timeout: float | None) -> int | None:
        try:
            return self.wait(timeout)
        except subprocess.TimeoutExpired:
            return None


class Worker:
    """One isolated execution environment running bootstrap.py for one function version: forked from the
    runtime's template (template.py) or, where a fork would differ, started as its own interpreter."""

    def __init__(self, spec: FunctionSpec):
        self.spec = spec
        python, version = interpreter(spec.runtime)  # found once per runtime, before the cold start counts
        self.started = time.perf_counter()
        task_root = code_dir(spec.code)
        path = search_path(task_root, layers_dir(spec.layers), version)
        env = lambda_environment(spec, task_root)
        self.process = self._fork(python, env, task_root, path) or self._start(python, env, task_root, path)
        self.log = LogStream(spec.name, self.process.stdout)
        self.init_ms: float | None = None
        # True while the last frame said the worker waits for the next invocation (READY, RESULT, ERROR):
        # the pool keeps it without asking the OS (a death while idle is caught by acquire's `alive`).
        self.reusable = False

    def _fork(self, python: str, env: dict[str, str], task_root: Path, path: dict) -> Forked | None:
        base = runtime_environment()
        if not template.forkable(env, base):
            return None
        runtime = template.template_for(python, base)
        if runtime is None or runtime.shadowed_by(path):
            return None
        try:
            process, self._requests, self._responses = runtime.fork(env, task_root, path)
        except template.ForkRefused:
            return None  # fork() failed in a template that is well: this one starts as before, the template stays
        except template.TemplateGone:
            template.forget(runtime)  # this one starts as before; the next cold start gets a new template
            return None
        return process

    def _start(self, python: str, env: dict[str, str], task_root: Path, path: dict) -> Started:
        requests_r, self._requests = os.pipe()
        self._responses, responses_w = os.pipe()
        try:
            # -I: no PYTHON* variables, no user site, not the script's folder; -S: no site-packages (the
            # sandbox's virtualenv); bootstrap.py puts the function's code, its layers and the runtime's
            # libraries around the standard library. -u: unbuffered, like the runtime.
            return Started(
                [python, "-I", "-S", "-u", str(template.BOOTSTRAP), str(requests_r), str(responses_w), json.dumps(path)],
                cwd=task_root, env=env, pass_fds=(requests_r, responses_w),
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C in the sandbox's terminal is the sandbox's to handle
            )
        finally:
            os.close(requests_r)
            os.close(responses_w)

    @property
    def alive(self) -> bool:
        return self.process.running()

    def initialise(self, timeout: float) -> Answer:
        """Wait for the handler's import (cold start): READY, or INIT_ERROR with Lambda's error payload."""
        answer = self._receive(time.monotonic() + timeout)
        # Init Duration counts the interpreter's start too, as Lambda's counts the runtime's.
        self.init_ms = (time.perf_counter() - self.started) * 1000
        return answer

    def invoke(self, request_id: str, event: bytes, invoked_arn: str, timeout: float, trace: str = "") -> Answer:
        self.reusable = False  # until the worker answers
        deadline = time.monotonic() + timeout
        fields = {"id": request_id, "arn": invoked_arn, "deadline_ms": int((time.time() + timeout) * 1000),
                  "trace": trace}
        # The event travels as the caller's JSON bytes after the fields (no re-encoding as a JSON string).
        body = json.dumps(fields).encode() + b"\n" + event
        try:
            bootstrap.write_frame(self._requests, bootstrap.INVOKE, body)
        except OSError:  # broken pipe: the worker is gone
            return Answer(None)
        return self._receive(deadline)

    def _receive(self, deadline: float) -> Answer:
        """Read one frame before the deadline. A timeout kills the worker (Lambda discards the environment)."""
        try:
            ready, _, _ = select.select([self._responses], [], [], max(deadline - time.monotonic(), 0))
            if not ready:
                self.kill()
                return Answer(None, timed_out=True)
            kind, body, memory_kb = bootstrap.read_frame(self._responses)
        except (OSError, ValueError):  # stopped under us (sandbox shutting down)
            return Answer(None)
        self.reusable = kind in (bootstrap.READY, bootstrap.RESULT, bootstrap.ERROR)
        return Answer(kind, body or b"", memory_kb=memory_kb)

    def exit_status(self) -> str:
        """How the process ended, in the words Lambda uses ("exit status 1", "signal: killed")."""
        code = self.process.exit_code(timeout=2)
        if code is None:
            return "signal: unknown"
        if code < 0:
            return f"signal: {signal.Signals(-code).name.removeprefix('SIG').lower()}"
        return f"exit status {code}"

    def max_memory_mb(self) -> int | None:
        """Peak resident memory (Linux /proc), for the REPORT line's Max Memory Used when the worker did not
        state it in an answer (it died or timed out)."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return None
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
        return None

    def kill(self) -> None:
        self.reusable = False
        if self.alive:
            self.process.kill()
        self.process.exit_code(timeout=None)
        self._close_pipe()

    def stop(self) -> None:
        """Close the pipe (the worker exits by itself when it hangs up), then make sure."""
        self._close_pipe()
        self.process.exit_code(timeout=1)
        self.kill()

    def _close_pipe(self) -> None:
        # Each fd closed once: a second close could hit a number another thread has since reused.
        for name in ("_requests", "_responses"):
            fd = getattr(self, name)
            if fd >= 0:
                setattr(self, name, -1)
                os.close(fd)
