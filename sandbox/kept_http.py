"""HTTP/1.1 calls on kept-alive connections with the standard library's http.client, for the hot back-channel
calls of one server (the demo site's token POST and API GET, once per sign-in or page): requests took
about three times http.client's CPU per call (its per-call request preparation, cookie jar, hooks and
adapter layers), which showed in the demo site's callback and profile hops.

The wire request is requests' own: its default headers (User-Agent, Accept-Encoding, Accept, Connection,
`requests.utils.default_headers()`), the caller's headers, then Content-Length; a gzip or deflate answer is
decoded as urllib3 decodes it. TLS is verified against the CA bundle requests would use (the caller's
`verify`: a file or a directory of certificates). Each call sets its own timeout (connect and each read,
as requests' single timeout number does). An idle connection the server has closed (waitress's idle
timeout, a restart) is found before it is used and replaced; a call is never sent twice (a token request
carries a single-use code), as requests with its default `max_retries=0` never retries either.
Errors are requests' (`requests.ConnectionError`, `requests.Timeout`), which the callers already catch.
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
from dataclasses import dataclass, field

import requests
from requests.structures import CaseInsensitiveDict
from requests.utils import default_headers


@dataclass(frozen=True)
class Answer:
    """What a call got: requests.Response's fields that the callers read."""
    url: str
    status_code: int
    headers: CaseInsensitiveDict = field(default_factory=CaseInsensitiveDict)
    content: bytes = b""

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self):
        """The body as JSON; ValueError (json.JSONDecodeError) when it is not, as requests raises one."""
        return json.loads(self.content)


def basic_auth(user: str, password: str) -> str:
    """The Authorization value requests' HTTPBasicAuth sends (latin-1, as requests encodes str credentials)."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode("latin1")).decode("ascii")


def tls_context(verify: bool | str) -> ssl.SSLContext:
    """A verifying context with requests' trust: `verify` True is certifi's bundle (requests' default), a
    path is a bundle file or a directory of certificates (REQUESTS_CA_BUNDLE may be either)."""
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


class KeptConnections:
    """Kept-alive connections per origin (scheme, host, port), shared by every thread: a call takes an idle
    one (or opens one), and puts it back when the answer allows (the idle ones in a stack, so a few stay
    warm). `verify` as requests' (True, or a CA bundle path)."""

    def __init__(self, verify: bool | str = True):
        self._verify = verify
        self._context: ssl.SSLContext | None = None
        self._lock = threading.Lock()
        self._idle: dict[tuple[str, str], list[http.client.HTTPConnection]] = {}
        self._headers = dict(default_headers())

    def _tls(self) -> ssl.SSLContext:
        with self._lock:
            if self._context is None:
                self._context = tls_context(self._verify)
            return self._context

    def _connection(self, origin: tuple[str, str], timeout: float) -> http.client.HTTPConnection:
        while True:
            with self._lock:
                idle = self._idle.get(origin)
                conn = idle.pop() if idle else None
            if conn is None:
                scheme, netloc = origin
                if scheme == "https":
                    return http.client.HTTPSConnection(netloc, timeout=timeout, context=self._tls())
                return http.client.HTTPConnection(netloc, timeout=timeout)
            if conn.sock is not None and not select.select([conn.sock], [], [], 0)[0]:
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
        sent = {**self._headers, **(headers or {})}
        if body is not None:
            sent["Content-Length"] = str(len(body))
        conn = self._connection(origin, timeout)
        try:
            conn.request(method, target, body=body, headers=sent)
            response = conn.getresponse()
            content = response.read()
        except TimeoutError as exc:
            conn.close()
            raise requests.Timeout(f"{method} {url}: {exc}") from exc
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            raise requests.ConnectionError(f"{method} {url}: {exc}") from exc
        answer_headers = CaseInsensitiveDict()
        for name, value in response.getheaders():  # repeated headers joined, as urllib3 joins them
            answer_headers[name] = f"{answer_headers[name]}, {value}" if name in answer_headers else value
        if response.will_close:
            conn.close()
        else:
            with self._lock:
                self._idle.setdefault(origin, []).append(conn)
        encoding = answer_headers.get("Content-Encoding", "")
        if encoding and method != "HEAD":
            try:
                content = _decoded(content, encoding)
            except zlib.error as exc:
                raise requests.exceptions.ContentDecodingError(f"{method} {url}: {exc}") from exc
        return Answer(url, response.status, answer_headers, content)
