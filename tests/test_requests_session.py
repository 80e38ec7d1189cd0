"""sandbox/requests_session.py over real HTTP: a redirect not followed is answered as it came, with no
next request prepared; a redirect followed still goes on, with the cookies it set."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sandbox.requests_session import new_session


class Pages(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        if self.path == "/start":
            self.send_response(302)
            self.send_header("Location", "/end")
            self.send_header("Set-Cookie", "seen=1; Path=/")
        else:
            self.send_response(200)
        body = f"cookie={self.headers.get('Cookie', '')}".encode()
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_a_redirect_not_followed_is_the_answer_itself_with_no_next_request_prepared(site):
    with new_session() as session:
        response = session.get(site + "/start", allow_redirects=False, timeout=5)
    assert (response.status_code, response.headers["Location"]) == (302, "/end")
    assert response.next is None and response.history == []
    assert session.cookies.get("seen") == "1"


def test_a_redirect_followed_goes_on_with_the_cookie_it_set(site):
    with new_session() as session:
        response = session.get(site + "/start", timeout=5)
    assert (response.status_code, response.url, response.text) == (200, site + "/end", "cookie=seen=1")
    assert [r.status_code for r in response.history] == [302]
