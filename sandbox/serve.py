"""Serve WSGI apps on localhost ports, each in its own thread."""

from __future__ import annotations

import errno
import logging
import socket
import threading
from dataclasses import dataclass

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server


class PortInUse(Exception):
    def __init__(self, name: str, port: int):
        super().__init__(f"port {port} is already in use: cannot start {name} (set its URL/port variable to move it)")
        self.port = port


class QuietHandler(WSGIRequestHandler):
    """Werkzeug's handler without a log line per request (the sandbox logs what matters itself)."""

    def log_request(self, code="-", size="-"):
        pass


@dataclass
class Running:
    name: str
    url: str
    server: BaseWSGIServer
    thread: threading.Thread

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


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
    sock.listen(256)
    return sock


def serve(name: str, app, sock: socket.socket, url: str) -> Running:
    """Serve `app` on a socket from bind() in a daemon thread."""
    host, port = sock.getsockname()[:2]
    # Werkzeug binds itself and calls sys.exit on a taken port; handing it our socket avoids that.
    server = make_server(host, port, app, threaded=True, request_handler=QuietHandler, fd=sock.fileno())
    sock.close()  # werkzeug holds its own duplicate
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"serve-{name}", daemon=True)
    thread.start()
    logging.getLogger("sandbox").debug("%s listening on %s", name, url)
    return Running(name, url, server, thread)
