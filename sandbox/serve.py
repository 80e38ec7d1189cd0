"""Serve WSGI apps on localhost ports: `serve()` in this process, or `python -m sandbox.serve <part>`, the
process of one part that the sandbox command (sandbox/runner.py) starts for each.

Waitress, not Werkzeug's development server: Werkzeug closes the connection after every response and
starts a thread per connection, which made that server most of the sandbox's CPU per request. Waitress
keeps connections alive (boto3 and requests.Session reuse them) and answers from a pool of threads.
"""

from __future__ import annotations

import errno
import gc
import json
import logging
import os
import signal
import socket
import sys
import threading
from dataclasses import dataclass

from waitress.server import create_server
from waitress.task import ThreadedTaskDispatcher

# Threads are cheap while they wait, and calls nest: an Invoke holds an AWS-endpoint thread while the
# function's own boto3 call needs another, and 50 sign-ins at once each hold a hosted-UI thread while it
# calls Okta and Lambda. A pool sized to the work (say 48) starves itself under such a burst; waitress
# queues what exceeds this, which only a far larger burst reaches. They are started as the work needs
# them (GrowingDispatcher): starting 256 per part up front was a tenth of the sandbox's start-up.
THREADS = 256
FIRST_THREADS = 8
logging.getLogger("waitress").setLevel(logging.ERROR)
# The parts that see a client's X-Forwarded-* / Forwarded headers as sent. Waitress drops them by default
# (clear_untrusted_proxy_headers, a middleware pass over every request's environ). The AWS endpoint is API
# Gateway's front door, and API Gateway keeps a client's X-Forwarded-For and appends the caller's address
# (the proxy event, aws_endpoint/apigateway/proxy_event.py; "trusted proxies including CloudFront or API
# Gateway append the true client's ip address to the rightmost position", speedrun.nobackspacecrew.com,
# 2026-03-06); moto reads none of them. The other parts are web apps behind no proxy: they keep the default.
PROXY_HEADERS_KEPT = {"aws"}


class PortInUse(Exception):
    def __init__(self, name: str, port: int):
        super().__init__(f"port {port} is already in use: cannot start {name} (set its URL/port variable to move it)")
        self.port = port


@dataclass
class Running:
    name: str
    url: str
    server: object
    thread: threading.Thread

    def stop(self) -> None:
        """Stop listening; requests still running finish on daemon threads, which end with the process."""
        self.server.close()


def bind(name: str, host: str, port: int) -> socket.socket:
    """Take the port now, so a taken port fails fast and clearly, before anything is started."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno in (errno.EADDRINUSE, errno.EACCES):
            raise PortInUse(name, port) from None
        raise
    return sock


class GrowingDispatcher(ThreadedTaskDispatcher):
    """Waitress's thread pool, started small: a task that finds no idle thread starts one more, up to
    `limit`. Threads then stay, idle, as waitress's own do."""

    def __init__(self, limit: int, first: int):
        super().__init__()
        self.limit = limit
        self.set_thread_count(first)

    def add_task(self, task):
        with self.lock:
            idle = len(self.threads) - self.stop_count - self.active_count
            if idle <= len(self.queue) and len(self.threads) < self.limit:
                number = max(self.threads, default=-1) + 1
                self.threads.add(number)
                self.active_count += 1  # as set_thread_count counts a new thread: it is idle once it waits
                self.start_new_thread(self.handler_thread, number)
        super().add_task(task)


def serve(name: str, app, sock: socket.socket, url: str) -> Running:
    """Serve `app` on a socket from bind() in a daemon thread."""
    server = create_server(app, sockets=[sock], threads=THREADS, backlog=1024, connection_limit=2000,
                           asyncore_use_poll=True, ident=None,
                           clear_untrusted_proxy_headers=name not in PROXY_HEADERS_KEPT,
                           _dispatcher=GrowingDispatcher(THREADS, FIRST_THREADS))
    thread = threading.Thread(target=server.run, name=f"serve-{name}", daemon=True)
    thread.start()
    logging.getLogger("sandbox").debug("%s listening on %s", name, url)
    return Running(name, url, server, thread)


# --- one part's process (forked by sandbox/runner.py) ---------------------------------------------------

def _die_with(parent: int) -> None:
    """End at once (as a crash would: nothing more saved) when the sandbox command that started this part
    ends without stopping it, e.g. SIGKILL: Linux's parent-death signal; elsewhere the end of the `go` pipe."""
    if sys.platform.startswith("linux"):
        import ctypes  # noqa: PLC0415

        PR_SET_PDEATHSIG = 1  # prctl(2)
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it ended before the line above
        os._exit(1)


def _line(fd: int) -> bytes:
    """One line from the `go` pipe (the sandbox command writes one, then nothing until it ends)."""
    data = b""
    while not data.endswith(b"\n"):
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        data += chunk
    return data


def _watch(go_fd: int) -> None:
    """The sandbox command writes nothing more on the pipe; its end means the command is gone."""
    def watch():
        while os.read(go_fd, 64):
            pass
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def run_part(part, sock: socket.socket, ready_fd: int, go_fd: int, parent: int, wait: bool) -> None:
    """The body of one part's process, forked by the sandbox command before it started any thread: load
    the part's app (when `wait`, after "go" and the provisioned resources on `go_fd`), serve it on `sock`,
    write its name on `ready_fd`, and on SIGTERM or SIGINT stop serving, save its last changes and exit.
    Never returns."""
    _die_with(parent)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):  # Ctrl-C reaches every process of the terminal's group
        signal.signal(sig, lambda *_: stop.set())
    part.preload()
    if wait:
        said = _line(go_fd)
        if not said.startswith(b"go "):  # the sandbox command ended before it said go
            os._exit(1)
        part.provisioned(json.loads(said[3:]))
    _watch(go_fd)
    try:
        app = part.load_app()
    except Exception:  # noqa: BLE001  its traceback, then the sandbox command says this part did not start
        import traceback  # noqa: PLC0415

        traceback.print_exc()
        sys.stderr.flush()
        os._exit(1)
    running = serve(part.name, app, sock, "")
    os.write(ready_fd, f"{part.name}\n".encode())
    os.close(ready_fd)
    # Off since the sandbox command started (runner.start says why); what the load made is long-lived too,
    # so it is frozen first rather than walked by the first collections.
    gc.freeze()
    gc.enable()
    # With a timeout: a signal the kernel hands to another thread does not wake a wait without one.
    while not stop.wait(0.5):
        pass
    running.stop()
    from sandbox import state  # noqa: PLC0415

    state.stop_all()  # this part's last changes, once nothing is served
    if part.name == "aws":
        from aws_endpoint.lambda_runtime import shutdown_workers  # noqa: PLC0415

        shutdown_workers()
    sys.stdout.flush()
    sys.stderr.flush()
    # Everything is saved and closed: skip the interpreter's teardown of moto's and botocore's object
    # graphs, seconds of CPU that would outlast `docker compose stop`'s grace period on a busy machine.
    os._exit(0)
