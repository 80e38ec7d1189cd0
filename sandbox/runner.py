"""Start every part of the sandbox, each in its own process, provision AWS, and report where everything is.

One process per part, so the parts use every core and start side by side: this process takes the ports,
imports what every part imports (boto3, werkzeug, cryptography...), then forks one process per part
before it starts any thread (serve.run_part): first the AWS endpoint, which the others wait for, then,
once it has made the boto3 clients the others make at start (Part.clients), the others. It provisions
through boto3 once the AWS endpoint serves (the demo site, which reads the provisioned ids when it loads,
waits for it), runs hot reload, and stops the parts (SIGTERM: each saves its last changes) when it is
stopped. Killed outright (SIGKILL), it takes its parts with it (their parent-death signal).
"""

from __future__ import annotations

import gc
import importlib
import json
import logging
import os
import select
import signal
import sys
import time
from dataclasses import dataclass, field

from sandbox import hot_reload, provision, state
from sandbox.aws import client
from sandbox.config import apply_local_aws_defaults, port_of, seed, settings
from sandbox.parts import PARTS, SHARED_IMPORTS, Part
from sandbox.serve import bind, run_part

log = logging.getLogger("sandbox")
STOP_SECONDS = 30  # a part still running after SIGTERM this long is killed


class PartFailed(Exception):
    """A part's process ended before it served (its own output says why)."""


@dataclass
class PartProcess:
    name: str
    url: str
    pid: int
    go_fd: int  # the pipe it waits on for "go" (when `waiting`); its end tells the part this process is gone
    waiting: bool
    returncode: int | None = None

    def go(self, resources: dict) -> None:
        """Let it load, with what provisioning made or found (serve.run_part reads the one line)."""
        os.write(self.go_fd, b"go " + json.dumps(resources).encode() + b"\n")

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def signal(self, sig: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, sig)

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while self.poll() is None:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True


@dataclass
class Sandbox:
    running: list[PartProcess] = field(default_factory=list)
    resources: provision.Resources | None = None
    started_at: float = field(default_factory=time.perf_counter)
    ready_seconds: float = 0.0

    def exited(self) -> PartProcess | None:
        """A part whose process has ended."""
        return next((p for p in self.running if p.poll() is not None), None)

    def stop(self) -> None:
        """SIGTERM to every part (each stops serving and saves its last changes), then wait for them."""
        for part in reversed(self.running):
            part.signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for part in self.running:
            if not part.wait(max(0.1, deadline - time.monotonic())):
                part.signal(signal.SIGKILL)
                part.wait(STOP_SECONDS)
        for part in self.running:
            if part.go_fd >= 0:
                os.close(part.go_fd)
                part.go_fd = -1


def select_parts(names: list[str] | None) -> list[Part]:
    chosen = [p for p in PARTS if (not names or p.name in names) and p.available()]
    unknown = set(names or []) - {p.name for p in PARTS}
    if unknown:
        raise ValueError(f"unknown part(s): {', '.join(sorted(unknown))}")
    return chosen


def _fork(part: Part, sockets: dict, ready_fds: tuple[int, int], url: str, wait: bool,
          others: list[PartProcess]) -> PartProcess:
    go_r, go_w = os.pipe()
    parent = os.getpid()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the part's process: only its own socket and pipes
        try:
            for name, sock in sockets.items():
                if name != part.name:
                    sock.close()
            for fd in [ready_fds[0], go_w] + [p.go_fd for p in others]:
                os.close(fd)
            run_part(part, sockets[part.name], ready_fds[1], go_r, parent, wait)
        except BaseException:  # noqa: BLE001  run_part never returns; whatever escapes it is shown
            import traceback  # noqa: PLC0415

            traceback.print_exc()
        finally:
            os._exit(1)
    os.close(go_r)
    return PartProcess(part.name, url, pid, go_w, wait)


class _Ready:
    """The parts' "I serve" lines, from the one pipe they all write to."""

    def __init__(self, sandbox: Sandbox, read_fd: int):
        self.sandbox, self.fd, self.seen, self.buffer = sandbox, read_fd, set(), b""

    def wait_for(self, names: set[str]) -> None:
        while not names <= self.seen:
            gone = self.sandbox.exited()
            if gone is not None and gone.name not in self.seen:
                raise PartFailed(f"the {gone.name} part exited with {gone.returncode} before it served")
            readable, _, _ = select.select([self.fd], [], [], 0.05)
            if readable:
                self.buffer += os.read(self.fd, 4096)
                *lines, self.buffer = self.buffer.split(b"\n")
                self.seen.update(line.decode() for line in lines)


def start(names: list[str] | None = None, do_provision: bool = True) -> Sandbox:
    """Take every part's port, fork every part's process (a part that reads the provisioned resources
    when it loads waits), provision once the AWS endpoint serves, then let the waiting parts load, each
    given the resources (Part.provisioned).
    Raises PortInUse before starting anything, PartFailed when a part ends before it serves."""
    # Python's advice for a process that forks without exec (docs.python.org/3/library/gc.html#gc.freeze):
    # no collections while it starts (the imports make long-lived objects only; a full collection was
    # 0.05 s of this process's start), everything made so far frozen right before each fork (the parts'
    # collections never walk it: one in the demo site's start was 0.08 s, and its pages stay shared), and
    # collections again once the parts are forked (here) and once each part serves (serve.run_part).
    gc.disable()
    apply_local_aws_defaults()
    s = settings()
    sandbox = Sandbox()
    parts = select_parts(names)
    sockets = {}
    ready_r, ready_w = os.pipe()
    try:
        for part in parts:
            sockets[part.name] = bind(part.name, s.bind_host, port_of(part.public_url(s)))
        provisions = do_provision and s.local_aws and any(p.name == "aws" for p in parts)
        for module in SHARED_IMPORTS:  # once here, not once per part
            importlib.import_module(module)

        def fork(part: Part) -> None:
            gc.freeze()
            sandbox.running.append(_fork(part, sockets, (ready_r, ready_w), part.public_url(s),
                                         provisions and part.after_provisioning, sandbox.running))

        for part in parts:  # the AWS endpoint (the others wait for it) and the mock Okta: no clients
            if not part.clients:
                fork(part)
        for service in sorted({name for part in parts for name in part.clients}):
            client(service)  # while the AWS endpoint loads: each service's model read once, not once per part
        for part in parts:
            if part.clients:
                fork(part)
        gc.enable()
        for sock in sockets.values():  # each part's process has its own
            sock.close()
        os.close(ready_w)
        ready_w = -1
        ready = _Ready(sandbox, ready_r)
        if provisions:
            provision.prepare()  # while the parts load
            ready.wait_for({"aws"})
            sandbox.resources, skipped = provision.start_provisioned()
            if skipped:
                state.report("AWS resources as saved: provisioning skipped (its inputs are unchanged)")
            hot_reload.start()  # a saved file in a function's folder redeploys it
        for part in sandbox.running:
            if part.waiting:
                part.go(sandbox.resources.as_dict())
        ready.wait_for({p.name for p in parts})
    except BaseException:
        gc.enable()
        for sock in sockets.values():
            sock.close()
        sandbox.stop()
        raise
    finally:
        os.close(ready_r)
        if ready_w >= 0:
            os.close(ready_w)
    sandbox.ready_seconds = time.perf_counter() - sandbox.started_at
    return sandbox


def summary(sandbox: Sandbox) -> str:
    """The table printed when the sandbox is ready: URLs, then the demo users."""
    s = settings()
    titles = {p.name: p.title for p in PARTS}
    rows = [(titles[r.name], r.url) for r in sandbox.running]
    res = sandbox.resources
    if res:
        rows += [
            ("Cognito issuer", res.issuer),
            ("Cognito user pool / app client", f"{res.user_pool_id} / {res.client_id}"),
            ("Profile API", res.api_url + "/profile"),
        ]
    if any(r.name == "okta" for r in sandbox.running):
        rows.append(("Okta issuer", s.okta_issuer))
    width = max(len(name) for name, _ in rows)
    lines = [f"  {name.ljust(width)}  {url}" for name, url in rows]
    users = [u for u in seed()["okta"]["users"] if u["status"] == "ACTIVE"]
    lines.append("")
    lines += [f"  demo user  {u['login']} / {u['password']}  ({u['given_name']} {u['family_name']})" for u in users]
    return "\n".join(lines)
