"""The Lambda template's bookkeeping in the sandbox (aws_endpoint/lambda_runtime/template.py): its forked
environments' descriptors, a fork() that fails, and a template that does not start."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading

import pytest

from aws_endpoint.lambda_runtime import template, worker
from tests.lambda_fixtures import wait_for

pytestmark = pytest.mark.skipif(not template.SUPPORTED, reason="templates need Linux pidfds")


def watched(child: subprocess.Popen, first_fd: int) -> tuple[template.Forked, int]:
    """A Forked for `child` on a pidfd and exit pipe numbered from `first_fd`; the exit pipe's write end."""
    exit_r, exit_w = os.pipe()
    pidfd = os.pidfd_open(child.pid)
    high = [os.dup2(fd, first_fd + i) for i, fd in enumerate((pidfd, exit_r))]
    os.close(pidfd)
    os.close(exit_r)
    return template.Forked(child.pid, high[0], high[1], None), exit_w


def test_an_environment_on_descriptors_past_1024_is_watched_and_its_exit_code_read():
    # A sandbox with many environments has fds past select()'s limit of 1024.
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    process, exit_w = watched(child, 1500)
    assert process.running()
    process.kill()
    os.write(exit_w, str(child.wait()).encode())  # as the template writes it when it reaps the child
    os.close(exit_w)
    assert process.exit_code(timeout=10) == -9
    assert not process.running()


def test_a_thread_waiting_for_an_environment_to_end_does_not_hold_off_running_and_kill():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    process, exit_w = watched(child, 1600)
    codes = []
    waiter = threading.Thread(target=lambda: codes.append(process.exit_code(timeout=None)))
    waiter.start()
    in_wait = lambda: "exit_code" in repr(sys._current_frames().get(waiter.ident))  # noqa: E731
    assert wait_for(lambda: in_wait() or not waiter.is_alive())
    assert process.running()
    process.kill()  # while the waiter waits: at once, not when the environment ends by itself
    os.write(exit_w, str(child.wait()).encode())
    os.close(exit_w)
    waiter.join(timeout=30)
    assert codes == [-9]


def template_answering(reply: dict) -> template.Template:
    """A Template whose process answers every fork request with `reply`."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)

    def serve():
        _, fds, _, _ = socket.recv_fds(theirs, 1 << 20, 4)
        for fd in fds:
            os.close(fd)
        theirs.send(json.dumps(reply).encode())

    threading.Thread(target=serve, daemon=True).start()
    known = template.Template.__new__(template.Template)
    known._socket, known._lock = ours, threading.Lock()
    return known


def test_a_fork_the_template_could_not_make_is_refused_without_taking_the_template_for_gone(tmp_path):
    runtime = template_answering({"error": "[Errno 11] Resource temporarily unavailable"})
    with pytest.raises(template.ForkRefused, match="Resource temporarily unavailable"):
        runtime.fork({}, tmp_path, {"before": [], "after": []})


def test_an_environment_whose_fork_failed_starts_as_its_own_interpreter_and_the_template_is_kept(monkeypatch, tmp_path):
    runtime = template_answering({"error": "[Errno 11] Resource temporarily unavailable"})
    runtime.imported = frozenset()
    monkeypatch.setattr(template, "forkable", lambda *_: True)
    monkeypatch.setattr(template, "template_for", lambda *_: runtime)
    forgotten = []
    monkeypatch.setattr(template, "forget", forgotten.append)
    unborn = worker.Worker.__new__(worker.Worker)
    assert unborn._fork(sys.executable, {}, tmp_path, {"before": [], "after": []}) is None
    assert forgotten == []


class Clock:
    now = 1000.0

    def monotonic(self):
        return self.now


def test_a_template_that_did_not_start_is_tried_again_after_a_back_off(monkeypatch):
    clock, starts = Clock(), []

    class Starting:
        alive = True

        def __init__(self, python, environment):
            starts.append(python)
            if len(starts) <= 2:
                raise template.TemplateGone("the template did not start")  # a start past its timeout, say

    monkeypatch.setattr(template, "time", clock)
    monkeypatch.setattr(template, "Template", Starting)
    monkeypatch.setattr(template, "_templates", {})
    monkeypatch.setattr(template, "_unstartable", {})
    monkeypatch.setattr(template, "show", lambda *_: None)
    assert template.template_for("python3.12", {}) is None
    assert template.template_for("python3.12", {}) is None and len(starts) == 1  # not at once
    clock.now += template.RETRY_SECONDS
    assert template.template_for("python3.12", {}) is None and len(starts) == 2  # tried again: failed again
    clock.now += template.RETRY_SECONDS
    assert template.template_for("python3.12", {}) is None and len(starts) == 2  # the wait doubled
    clock.now += template.RETRY_SECONDS
    assert isinstance(template.template_for("python3.12", {}), Starting) and len(starts) == 3
    assert template._unstartable == {}
