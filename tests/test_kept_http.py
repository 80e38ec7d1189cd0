"""sandbox/kept_http.py, the back-channel client of the demo site (token POST, API GET), the hosted UI's
internal calls and the flow-event sender: the same wire request as requests' (or http.client's own
headers), on kept connections, with requests' errors, TLS verification, no redirect, and a request resent
only when the server cannot have got it.
Against a real local HTTP(S) server (the standard library's), over real sockets."""

from __future__ import annotations

import datetime
import gzip
import ipaddress
import select
import socket
import ssl
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from sandbox import kept_http
from sandbox.kept_http import KeptConnections, basic_auth


class Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as waitress and Cognito
    seen: list[dict] = []
    reset_now = threading.Event()

    def log_message(self, *args):
        pass

    def _answer(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.seen.append({"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body,
                          "port": self.client_address[1]})
        if self.path == "/no-answer":  # read whole, then the connection ends: it may have been acted on
            self.close_connection = True
            return
        if self.path == "/slow":
            time.sleep(0.5)
        if self.path == "/then-close":  # closes once idle, as waitress's idle timeout or a restart does
            self.close_connection = True
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        payload, encoding = b'{"ok": true}', None
        if self.path == "/gzip":
            payload, encoding = gzip.compress(payload), "gzip"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Set-Cookie", "a=1")
        self.send_header("Set-Cookie", "b=2")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        if self.path == "/then-reset":  # once the answer is read, a reset (RST) ends the idle connection
            Recorder.reset_now.wait(5)
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True

    do_GET = do_POST = _answer


@pytest.fixture
def server():
    Recorder.seen = []
    Recorder.reset_now = threading.Event()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    yield httpd, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_form_post_sends_what_requests_sends_for_the_same_call(server):
    _, base = server
    form = {"grant_type": "authorization_code", "code": "a b/c", "redirect_uri": "http://localhost:1/cb/"}
    requests.post(base + "/oauth2/token?x=1", data=form, auth=("client", "s3cret"), headers={"X-Sandbox-Flow": "f"},
                  timeout=5)
    from urllib.parse import urlencode
    answer = KeptConnections().request(
        "POST", base + "/oauth2/token?x=1", body=urlencode(form).encode(), timeout=5,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Authorization": basic_auth("client", "s3cret"),
                 "X-Sandbox-Flow": "f"})
    by_requests, ours = Recorder.seen
    assert answer.status_code == 200 and answer.json() == {"ok": True}
    assert (ours["method"], ours["path"], ours["body"]) == (by_requests["method"], by_requests["path"], by_requests["body"])
    assert ours["headers"] == by_requests["headers"]


def test_repeated_answer_headers_are_joined_and_read_without_regard_to_case(server):
    _, base = server
    answer = KeptConnections().request("GET", base + "/", timeout=5)
    assert answer.headers["set-cookie"] == "a=1, b=2"
    assert answer.headers["CONTENT-TYPE"] == "application/json"


def test_a_gzip_answer_is_decoded(server):
    _, base = server
    assert KeptConnections().request("GET", base + "/gzip", timeout=5).json() == {"ok": True}


def test_calls_share_one_kept_connection(server):
    _, base = server
    kept = KeptConnections()
    for _ in range(3):
        kept.request("GET", base + "/", timeout=5)
    assert len({seen["port"] for seen in Recorder.seen}) == 1


def test_an_idle_connection_the_server_closed_is_replaced_and_the_call_is_sent_once(server):
    _, base = server
    kept = KeptConnections()
    kept.request("GET", base + "/then-close", timeout=5)
    (idle,) = kept._idle[("http", base.split("//")[1])]
    assert select.select([idle.sock], [], [], 5)[0]  # the server's close has reached the idle socket
    answer = kept.request("POST", base + "/once", body=b"code=single-use", timeout=5,
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 200
    assert [seen["path"] for seen in Recorder.seen] == ["/then-close", "/once"]
    assert Recorder.seen[0]["port"] != Recorder.seen[1]["port"]  # on a new connection


def test_a_request_that_could_not_be_written_to_a_reused_connection_is_sent_once_on_a_new_one(server, monkeypatch):
    """The server reset the connection after the idle check passed (the race the check leaves): writing
    fails, so the server never got the request and it goes, once, on a new connection."""
    _, base = server
    kept = KeptConnections()
    kept.request("GET", base + "/then-reset", timeout=5)
    (idle,) = kept._idle[("http", base.split("//")[1])]
    Recorder.reset_now.set()
    assert select.select([idle.sock], [], [], 5)[0]  # the reset has reached the idle socket
    monkeypatch.setattr(kept_http, "_closed_while_idle", lambda conn: False)  # as if it came just after
    answer = kept.request("POST", base + "/once", body=b"code=single-use", timeout=5,
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 200
    assert [seen["path"] for seen in Recorder.seen] == ["/then-reset", "/once"]
    assert Recorder.seen[0]["port"] != Recorder.seen[1]["port"]


def test_a_request_written_whole_that_gets_no_answer_is_not_sent_again(server):
    _, base = server
    kept = KeptConnections()
    kept.request("GET", base + "/", timeout=5)
    with pytest.raises(requests.ConnectionError):
        kept.request("POST", base + "/no-answer", body=b"events", timeout=5)
    assert [seen["path"] for seen in Recorder.seen] == ["/", "/no-answer"]
    assert Recorder.seen[0]["port"] == Recorder.seen[1]["port"]  # on the reused connection


def test_default_headers_can_be_http_clients_own(server):
    _, base = server
    KeptConnections(headers={}).request("POST", base + "/", body=b"{}", headers={"Content-Type": "application/json"},
                                        timeout=5)
    (seen,) = Recorder.seen
    assert seen["headers"] == {"Host": base.split("//")[1], "Accept-Encoding": "identity",
                               "Content-Type": "application/json", "Content-Length": "2"}


def test_an_answer_slower_than_the_timeout_is_requests_timeout(server):
    _, base = server
    with pytest.raises(requests.Timeout):
        KeptConnections().request("GET", base + "/slow", timeout=0.1)


def test_nothing_listening_is_requests_connection_error():
    with pytest.raises(requests.ConnectionError):
        KeptConnections().request("GET", "http://127.0.0.1:9/", timeout=2)


def test_a_redirect_is_answered_not_followed(server):
    _, base = server
    answer = KeptConnections().request("GET", base + "/redirect", timeout=5)
    assert (answer.status_code, answer.headers["Location"]) == (302, "/elsewhere")
    assert [seen["path"] for seen in Recorder.seen] == ["/redirect"]


@pytest.fixture
def tls_server(server, tmp_path):
    """The same server behind TLS with a certificate for 127.0.0.1 from a CA of the test's own."""
    httpd, _ = server
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test CA")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=1))
            .not_valid_after(now + datetime.timedelta(hours=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    tls = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    tls.socket = context.wrap_socket(tls.socket, server_side=True)
    threading.Thread(target=tls.serve_forever, args=(0.05,), daemon=True).start()
    yield f"https://127.0.0.1:{tls.server_address[1]}", str(cert_file)
    tls.shutdown()
    tls.server_close()


def test_tls_is_verified_against_the_given_ca_bundle(tls_server):
    url, ca_file = tls_server
    assert KeptConnections(verify=ca_file).request("GET", url + "/", timeout=5).json() == {"ok": True}


def test_a_certificate_no_trusted_ca_signed_is_refused_as_requests_refuses_it(tls_server):
    url, _ = tls_server
    with pytest.raises(requests.ConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
        KeptConnections(verify=True).request("GET", url + "/", timeout=5)
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(url + "/", timeout=5)


def test_the_flow_senders_post_to_a_collector_that_is_down_fails_at_once_and_is_not_resent(monkeypatch):
    """What the sender (sandbox/flowlog.py) catches, logs and drops: the sign-in never waits on the view."""
    from sandbox import flowlog
    monkeypatch.setattr(flowlog, "collector_url", lambda: "http://127.0.0.1:9/_sandbox/flow")
    with pytest.raises(requests.ConnectionError, match="POST http://127.0.0.1:9/_sandbox/flow/events"):
        flowlog._Poster()(b'{"events": [], "links": []}')


def test_with_http_clients_own_headers_an_answer_is_kept_as_sent(server):
    """No encoding was asked for (Accept-Encoding: identity), so none is undone: the hosted UI's and the
    flow sender's calls read the body as the server sent it, as their own http.client code did."""
    _, base = server
    answer = KeptConnections(headers={}).request("GET", base + "/gzip", timeout=5)
    assert Recorder.seen[0]["headers"]["Accept-Encoding"] == "identity"
    assert gzip.decompress(answer.content) == b'{"ok": true}'


@pytest.mark.parametrize("value", ["Bearer a\r\nX-Injected: 1", "Bearer \u2603"])
def test_a_header_value_http_client_refuses_is_requests_invalid_header_and_sends_nothing(server, value):
    _, base = server
    kept = KeptConnections()
    kept.request("GET", base + "/", timeout=5)  # a kept connection the refused call takes
    with pytest.raises(requests.exceptions.InvalidHeader):
        kept.request("GET", base + "/refused", headers={"Authorization": value}, timeout=5)
    assert kept.request("GET", base + "/", timeout=5).status_code == 200
    assert [seen["path"] for seen in Recorder.seen] == ["/", "/"]


def test_an_encoding_asked_for_in_any_case_is_decoded(server):
    _, base = server
    answer = KeptConnections(headers={}).request("GET", base + "/gzip", headers={"accept-encoding": "gzip"},
                                                 timeout=5)
    assert answer.json() == {"ok": True}
