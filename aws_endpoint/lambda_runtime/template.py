"""Templates: per interpreter, one small single-threaded process that has imported what AWS's Python runtime
image provides (bootstrap.py, boto3 and botocore) and forks a new execution environment on request.

A started worker spends most of its cold start on the interpreter's start and `import boto3` (about 0.3 s of
CPU); on Lambda that import is the function's own init, but the machine running it is not shared by 50 cold
starts. A forked environment then takes the function's environment variables, cwd and sys.path and imports
the handler's module, so the function's own init (module-level clients) still runs once per environment.
The template keeps no session or client: credentials, region and endpoint are each function's. It has read
botocore's data files (the service list, endpoints, DynamoDB's model), which every environment's sessions
share (bootstrap.py `share_botocore_data`).

Where forking would differ from a started interpreter, the worker is started as before (worker.py):
- the function's package or layers hold a top-level module the template imported or looked for (its own
  boto3, six, urllib3...): on Lambda the function's copy wins, which a fork cannot undo;
- its environment sets a variable read when a process starts (locale, the dynamic loader, malloc,
  OpenSSL's configuration);
- the template cannot be started (tried again after a back-off) or has ended (a new one is started
  for the next cold start), or its fork() failed;
- the system is not Linux (a template needs pidfds and /proc).
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from aws_endpoint.lambda_runtime import bootstrap
from aws_endpoint.lambda_runtime.log_stream import show
from aws_endpoint.lambda_runtime.python_runtime import runtime_libraries

BOOTSTRAP = Path(bootstrap.__file__).resolve()
SUPPORTED = sys.platform.startswith("linux") and hasattr(os, "pidfd_open")  # Linux 5.3, Python 3.9
START_TIMEOUT_SECONDS = 30  # the template's imports; past it, workers are started as before
# Read by the C library or the interpreter when a process starts, so a forked child would not see them;
# OpenSSL's are read once, when `import ssl` (urllib3's, in the template) initialises it.
AT_PROCESS_START = ("LANG", "LANGUAGE", "GLIBC_TUNABLES", "OPENSSL_CONF", "OPENSSL_MODULES")
AT_PROCESS_START_PREFIXES = ("LC_", "LD_", "MALLOC_")


class TemplateGone(Exception):
    """The template did not answer: it ended, or never started."""


class ForkRefused(Exception):
    """The template is well but could not fork (fork() failed: EAGAIN under load, say)."""


def _ready(fd: int, timeout: float | None) -> bool:
    """Whether `fd` is readable within `timeout` seconds (None: no limit); poll, as select() takes no fd
    past 1024."""
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(None if timeout is None else timeout * 1000))


class Forked:
    """One forked execution environment, seen from the sandbox: what worker.Worker needs of a process.

    The template is its parent; the sandbox holds a pidfd (signals reach this process and no other) and
    the exit pipe on which the template writes the exit code when it reaps it. The lock guards the two fds
    (each closed once), never a wait: a waiter waits on its own duplicate of the pidfd, so running() and
    kill() answer at once while another thread waits for the exit."""

    def __init__(self, pid: int, pidfd: int, exit_fd: int, stdout):
        self.pid = pid
        self.stdout = stdout
        self._pidfd = pidfd
        self._exit_fd = exit_fd
        self._code: int | None = None
        self._lock = threading.Lock()

    def running(self) -> bool:
        with self._lock:
            return self._pidfd >= 0 and not _ready(self._pidfd, 0)

    def kill(self) -> None:
        with self._lock:
            if self._pidfd >= 0:
                try:
                    signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
                except ProcessLookupError:  # already ended
                    pass

    def exit_code(self, timeout: float | None) -> int | None:
        """The exit code (negative: the signal) once the process ended, waiting up to `timeout` seconds;
        None if it still runs, or its template ended before reporting it."""
        with self._lock:
            if self._pidfd < 0:
                return self._code
            pidfd, exit_fd = os.dup(self._pidfd), os.dup(self._exit_fd)
        try:
            # Ended: the template reaps it at once (SIGCHLD) and writes the code, or has ended itself.
            if not _ready(pidfd, timeout):
                return None
            _ready(exit_fd, 2)
        finally:
            os.close(pidfd)
            os.close(exit_fd)
        with self._lock:
            if self._pidfd >= 0:  # else another waiter read it
                os.set_blocking(self._exit_fd, False)
                try:
                    data = os.read(self._exit_fd, 32)
                    self._code = int(data) if data else None
                except BlockingIOError:  # not written within the wait
                    pass
                os.close(self._pidfd)
                os.close(self._exit_fd)
                self._pidfd = self._exit_fd = -1
            return self._code


class Template:
    """The fork server for one interpreter (bootstrap.py's `template` mode)."""

    def __init__(self, python: str, environment: dict[str, str]):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        path = {"before": [], "after": [str(runtime_libraries())]}
        try:
            self.process = subprocess.Popen(
                [python, "-I", "-S", "-u", str(BOOTSTRAP), "template", str(theirs.fileno()), json.dumps(path)],
                cwd=runtime_libraries(), env=environment, pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,  # stderr: the sandbox's, for a traceback
                start_new_session=True)
        except OSError:
            ours.close()
            raise
        finally:
            theirs.close()
        self._socket = ours
        self._lock = threading.Lock()  # one request and its answer at a time
        ours.settimeout(START_TIMEOUT_SECONDS)
        try:
            hello = ours.recv(1 << 20)
        except OSError:
            hello = b""
        if not hello:
            self.stop()
            raise TemplateGone("the template did not start")
        try:  # the sandbox signals its environments through pidfds: refused by a seccomp policy, say
            pidfd = os.pidfd_open(self.process.pid)
            try:
                signal.pidfd_send_signal(pidfd, 0)
            finally:
                os.close(pidfd)
        except OSError as exc:
            self.stop()
            raise TemplateGone(f"pidfds refused: {exc}") from None
        ours.settimeout(None)
        self.imported = frozenset(json.loads(hello)["modules"])

    def fork(self, environment: dict[str, str], cwd: Path, path: dict[str, list[str]]) -> tuple[Forked, int, int]:
        """A new environment with the function's variables, cwd and sys.path, and the sandbox's ends of its
        requests and responses pipes; raises TemplateGone."""
        requests_r, requests_w = os.pipe()
        responses_r, responses_w = os.pipe()
        output_r, output_w = os.pipe()
        exit_r, exit_w = os.pipe()
        request = json.dumps({"env": environment, "cwd": str(cwd), "path": path}).encode()
        answer, fds = b"", []
        try:
            with self._lock:
                socket.send_fds(self._socket, [request], [requests_r, responses_w, output_w, exit_w])
                answer, fds, _, _ = socket.recv_fds(self._socket, 4096, 1)
        except OSError:
            pass
        finally:
            for fd in (requests_r, responses_w, output_w, exit_w):
                os.close(fd)
        reply = json.loads(answer) if answer else {}
        if "pid" not in reply or not fds:
            for fd in (requests_w, responses_r, output_r, exit_r, *fds):
                os.close(fd)
            if "error" in reply:  # it answered: it is well, only its fork() failed
                raise ForkRefused(reply["error"])
            raise TemplateGone("the template ended")
        process = Forked(reply["pid"], fds[0], exit_r, os.fdopen(output_r, "rb"))
        return process, requests_w, responses_r

    def shadowed_by(self, path: dict[str, list[str]]) -> bool:
        """Whether the function's own folders hold a top-level module the template imported or looked for."""
        for folder in path["before"]:
            try:
                names = {entry.partition(".")[0] for entry in os.listdir(folder)}
            except OSError:
                continue
            if names & self.imported:
                return True
        return False

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """Close the socket (the template exits on its end), then make sure."""
        self._socket.close()
        try:
            self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def forkable(environment: dict[str, str], template_environment: dict[str, str]) -> bool:
    """Whether the variables read at a process's start are the template's own (LANG, unless the function set it)."""
    if not SUPPORTED:
        return False
    names = {name for name in (*environment, *template_environment)
             if name in AT_PROCESS_START or name.startswith(AT_PROCESS_START_PREFIXES)}
    return all(environment.get(name) == template_environment.get(name) for name in names)


_templates: dict[str, Template] = {}
# Interpreters whose template did not start (pidfds refused, or a start past its timeout under load):
# (failures in a row, when to try again). The wait doubles from RETRY_SECONDS up to RETRY_MAX_SECONDS.
_unstartable: dict[str, tuple[int, float]] = {}
RETRY_SECONDS, RETRY_MAX_SECONDS = 5, 300
_templates_lock = threading.Lock()


def template_for(python: str, environment: dict[str, str]) -> Template | None:
    """The live template for this interpreter, started on first use (or again after it ended); None when it
    cannot be started (workers are then started as before)."""
    with _templates_lock:
        template = _templates.get(python)
        if template is not None:
            if template.alive:
                return template
            template.stop()  # ended (crashed, killed): reaped here, and a new one below
        failures, retry_at = _unstartable.get(python, (0, 0.0))
        if time.monotonic() < retry_at:
            return None
        try:
            template = _templates[python] = Template(python, environment)
        except (OSError, TemplateGone) as exc:
            _templates.pop(python, None)
            wait = min(RETRY_SECONDS * 2 ** failures, RETRY_MAX_SECONDS)
            _unstartable[python] = (failures + 1, time.monotonic() + wait)
            if not failures:  # said once
                show("sandbox", f"Lambda: no template for {python} ({exc}); its workers start as new "
                                f"interpreters, and a template is tried again later")
            return None
        _unstartable.pop(python, None)
        return template


def forget(template: Template) -> None:
    """A template that failed a request: the next cold start starts a new one."""
    with _templates_lock:
        for python, known in list(_templates.items()):
            if known is template:
                del _templates[python]
    template.stop()


def shutdown_templates() -> None:
    with _templates_lock:
        templates = list(_templates.values())
        _templates.clear()
    for template in templates:
        template.stop()
