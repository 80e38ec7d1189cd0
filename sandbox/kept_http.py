"""HTTP/1.1 calls on kept-alive connections with the standard library's http.client, for the hot back-channel
calls of one server: the demo site's token POST and API GET (once per sign-in or page), the hosted UI's
internal calls to the AWS endpoint and every part's flow-event POSTs to the collector. requests took about
three times http.client's CPU per call (its per-call request preparation, cookie jar, hooks and adapter
layers), which showed in the sign-in's hops.

By default the wire request is requests' own: its default headers (User-Agent, Accept-Encoding, Accept,
Connection, `requests.utils.default_headers()`), the caller's headers, then Content-Length; a gzip or
deflate answer is decoded as urllib3 decodes it. TLS is verified against the CA bundle requests would use
(the caller's `verify`: a file or a directory of certificates). Each call sets its own timeout (connect
and each read, as requests' single timeout number does). Errors are requests' (`requests.ConnectionError`,
`requests.Timeout`), which the callers already catch.

Stale connections: an idle connection the server has closed (waitress's idle timeout, a restart) is found
before it is used and replaced. A request is sent again (once, on a new connection) only when writing it
to a reused connection failed: the server then never got the whole request, so it cannot have acted on it.
Once the request is written, a failure (no answer, a reset) is the caller's error and nothing is resent:
the server may have acted on it (a token request's single-use code, a batch of flow events the collector
would store twice), as requests with its default `max_retries=0` never retries either (RFC 9112 9.3.1: a
client must not retry a non-idempotent request unless it knows the request was never applied).
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import select
import ssl
import threading
import urllib.parse
import zlib

import requests
from requests.structures import CaseInsensitiveDict
from requests.utils import default_headers


class Answer:
    """What a call got: requests.Response's fields that the callers read. The headers are gathered on
    first use (most callers read only the status and body)."""
    __slots__ = ("url", "status_code", "content", "_fields", "_headers")

    def __init__(self, url: str, status_code: int, fields=None, content: bytes = b""):
        """`fields`: the answer's header fields as http.client read them (an HTTPMessage), or a dict."""
        self.url, self.status_code, self.content = url, status_code, content
        self._fields, self._headers = fields, None

    @property
    def headers(self) -> CaseInsensitiveDict:
        if self._headers is None:
            headers = CaseInsensitiveDict()
            for name, value in (self._fields or {}).items():  # repeated headers joined, as urllib3 joins them
                headers[name] = f"{headers[name]}, {value}" if name in headers else value
            self._headers = headers
        return self._headers

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self):
        """The body as JSON; ValueError (json.JSONDecodeError) when it is not, as requests raises one."""
        return json.loads(self.content)


def basic_auth(user: str, password: str) -> str:
    """The Authorization value requests' HTTPBasicAuth sends (latin-1, as requests encodes str credentials)."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode("latin1")).decode("ascii")


def tls_context(verify: bool | str | None) -> ssl.SSLContext:
    """A verifying context with requests' trust: `verify` True is certifi's bundle (requests' default), a
    path is a bundle file or a directory of certificates (REQUESTS_CA_BUNDLE may be either); None is
    http.client's own default (the system's CAs, SSL_CERT_FILE), for calls that never used requests."""
    if verify is None:
        return ssl.create_default_context()
    if verify is True:
        verify = requests.certs.where()
    if not verify:
        raise ValueError("TLS verification cannot be turned off for back-channel calls")
    if os.path.isdir(verify):
        return ssl.create_default_context(capath=verify)
    return ssl.create_default_context(cafile=verify)


def _decoded(body: bytes, encoding: str) -> bytes:
    """The body as sent before its Content-Encoding (urllib3's gzip and deflate decoders' rules)."""
    for coding in reversed([c.strip().lower() for c in encoding.split(",") if c.strip()]):
        if coding in ("gzip", "x-gzip"):
            body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
        elif coding == "deflate":
            try:
                body = zlib.decompress(body)
            except zlib.error:  # raw deflate, which some servers send for "deflate"
                body = zlib.decompress(body, -zlib.MAX_WBITS)
        elif coding != "identity":
            raise requests.exceptions.ContentDecodingError(f"unsupported Content-Encoding {coding!r}")
    return body


def _closed_while_idle(conn: http.client.HTTPConnection) -> bool:
    """The server closed (or reset) the idle connection: its socket is readable with no request sent.
    (poll, not select: select refuses descriptors past 1023, which a busy process reaches.)"""
    if conn.sock is None:
        return True
    poller = select.poll()
    poller.register(conn.sock, select.POLLIN)
    return bool(poller.poll(0))


class KeptConnections:
    """Kept-alive connections per origin (scheme, host, port), shared by every thread: a call takes an idle
    one (or opens one), and puts it back when the answer allows (the idle ones in a stack, so a few stay
    warm). `verify` as requests' (True, or a CA bundle path), or None for http.client's default trust.
    `headers` are sent on every call before the call's own: None is requests' default headers (the demo
    site's calls are requests' wire request), {} only http.client's own (Host, Accept-Encoding: identity)."""

    def __init__(self, verify: bool | str | None = True, headers: dict | None = None):
        self._verify = verify
        self._context: ssl.SSLContext | None = None
        self._lock = threading.Lock()
        self._idle: dict[tuple[str, str], list[http.client.HTTPConnection]] = {}
        self._headers = dict(default_headers()) if headers is None else dict(headers)
        # An answer is decoded only if an encoding was asked for (http.client's own header is identity).
        self._decode = "Accept-Encoding" in self._headers

    def _tls(self) -> ssl.SSLContext:
        with self._lock:
            if self._context is None:
                self._context = tls_context(self._verify)
            return self._context

    def _new(self, origin: tuple[str, str], timeout: float) -> http.client.HTTPConnection:
        scheme, netloc = origin
        if scheme == "https":
            return http.client.HTTPSConnection(netloc, timeout=timeout, context=self._tls())
        return http.client.HTTPConnection(netloc, timeout=timeout)

    def _idle_connection(self, origin: tuple[str, str], timeout: float) -> http.client.HTTPConnection | None:
        """An idle connection to `origin` the server has not closed, or None."""
        while True:
            with self._lock:
                idle = self._idle.get(origin)
                conn = idle.pop() if idle else None
            if conn is None:
                return None
            if not _closed_while_idle(conn):
                if conn.timeout != timeout:
                    conn.timeout = timeout
                    conn.sock.settimeout(timeout)
                return conn
            conn.close()  # readable while idle: the server closed it

    def request(self, method: str, url: str, *, headers: dict | None = None, body: bytes | None = None,
                timeout: float) -> Answer:
        split = urllib.parse.urlsplit(url)
        if split.scheme not in ("http", "https") or not split.netloc:
            raise requests.exceptions.InvalidURL(f"not an http(s) URL: {url!r}")
        origin = (split.scheme, split.netloc)
        target = (split.path or "/") + (f"?{split.query}" if split.query else "")
        sent = {**self._headers, **headers} if headers else self._headers
        if body is not None:
            sent = {**sent, "Content-Length": str(len(body))}
        conn = self._idle_connection(origin, timeout)
        try:
            if conn is not None:
                try:
                    conn.request(method, target, body=body, headers=sent)
                except TimeoutError:
                    raise  # a slow server, not a closed connection
                except OSError:  # closed after the check: the request was not written whole, so resend
                    conn.close()
                    conn = None
            if conn is None:
                conn = self._new(origin, timeout)
                conn.request(method, target, body=body, headers=sent)
            response = conn.getresponse()
            content = response.read()
        except TimeoutError as exc:
            conn.close()
            raise requests.Timeout(f"{method} {url}: {exc}") from exc
        except (OSError, http.client.HTTPException) as exc:
            if conn is not None:
                conn.close()
            raise requests.ConnectionError(f"{method} {url}: {exc}") from exc
        except ValueError as exc:
            # http.client refused a header (CR/LF, not latin-1): requests' InvalidHeader. After OSError,
            # since a TLS verify failure is both.
            if conn is not None:
                conn.close()
            raise requests.exceptions.InvalidHeader(f"{method} {url}: {exc}") from exc
        if response.will_close:
            conn.close()
        else:
            with self._lock:
                self._idle.setdefault(origin, []).append(conn)
        asked = self._decode or bool(headers) and any(name.lower() == "accept-encoding" for name in headers)
        encoding = asked and response.getheader("Content-Encoding")
        if encoding and method != "HEAD":
            try:
                content = _decoded(content, encoding)
            except zlib.error as exc:
                raise requests.exceptions.ContentDecodingError(f"{method} {url}: {exc}") from exc
        return Answer(url, response.status, response.msg, content)
