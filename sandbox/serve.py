"""Serve WSGI apps on localhost ports, each in its own thread.

Waitress, not Werkzeug's development server: Werkzeug closes the connection after every response and
starts a thread per connection, which made that server most of the sandbox's CPU per request. Waitress
keeps connections alive (boto3 and requests.Session reuse them) and answers from a pool of threads.
"""

from __future__ import annotations

import errno
import logging
import socket
import threading
from dataclasses import dataclass

from waitress.server import create_server

# Threads are cheap while they wait, and calls nest: an Invoke holds an AWS-endpoint thread while the
# function's own boto3 call needs another, and 50 sign-ins at once each hold a hosted-UI thread while it
# calls Okta and Lambda. A pool sized to the work (say 48) starves itself under such a burst; waitress
# queues what exceeds this, which only a far larger burst reaches.
THREADS = 256
logging.getLogger("waitress").setLevel(logging.ERROR)


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


def serve(name: str, app, sock: socket.socket, url: str) -> Running:
    """Serve `app` on a socket from bind() in a daemon thread."""
    server = create_server(app, sockets=[sock], threads=THREADS, backlog=1024, connection_limit=2000,
                           asyncore_use_poll=True, ident=None)
    thread = threading.Thread(target=server.run, name=f"serve-{name}", daemon=True)
    thread.start()
    logging.getLogger("sandbox").debug("%s listening on %s", name, url)
    return Running(name, url, server, thread)
