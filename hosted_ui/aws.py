"""The hosted UI's AWS calls: boto3 for the AWS API, and the endpoint's internal Cognito calls."""

from __future__ import annotations

import http.client
import json
import select
import threading
import urllib.parse
from dataclasses import dataclass

import boto3
import requests
from botocore.config import Config

from hosted_ui.settings import Settings
from sandbox.aws import client, own_client
from sandbox.config import apply_local_aws_defaults
from sandbox.config import settings as sandbox_settings


@dataclass(frozen=True)
class Answer:
    """The AWS endpoint's answer to an internal call."""
    status_code: int
    content: bytes

    def json(self):
        return json.loads(self.content)


class _KeptConnections:
    """HTTP to the AWS endpoint's own /_sandbox/ paths on kept-alive connections (the idle ones in a
    stack, so a few stay warm), with http.client: requests took three times its CPU per call, which showed
    in the sign-in's profile (no proxy, CA bundle or redirect of the environment applies to these calls).
    Errors are requests' (ConnectionError, Timeout), as the callers expect of any HTTP client here."""

    def __init__(self, base_url: str, timeout: float):
        split = urllib.parse.urlsplit(base_url)
        self._https, self._netloc, self._prefix = split.scheme == "https", split.netloc, split.path.rstrip("/")
        self._timeout = timeout
        self._lock = threading.Lock()
        self._idle: list[http.client.HTTPConnection] = []

    def _connection(self) -> http.client.HTTPConnection:
        while True:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is None:
                cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
                return cls(self._netloc, timeout=self._timeout)
            if conn.sock is not None and not select.select([conn.sock], [], [], 0)[0]:
                return conn
            conn.close()  # readable while idle: the server closed it (waitress's idle timeout, a restart)

    def request(self, method: str, path: str, body: bytes | None = None) -> Answer:
        conn = self._connection()
        headers = {"Content-Type": "application/json"} if body is not None else {}
        try:
            conn.request(method, self._prefix + path, body=body, headers=headers)
            response = conn.getresponse()
            answer = Answer(response.status, response.read())
        except TimeoutError as exc:
            conn.close()
            raise requests.Timeout(str(exc)) from exc
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            raise requests.ConnectionError(str(exc)) from exc
        if response.will_close:
            conn.close()
        else:
            with self._lock:
                self._idle.append(conn)
        return answer


class Aws:
    """One hosted UI's connections to AWS: its kept connections to the AWS endpoint and its Lambda client."""

    def __init__(self, cfg: Settings):
        self._cfg = cfg
        self._http = _KeptConnections(cfg.aws_backchannel_url, timeout=10)
        self._lambda = None
        self._health = None
        self._lock = threading.Lock()

    def cognito(self):
        return client("cognito-idp")

    def health_cognito(self):
        """Cognito for the health check: one attempt, short timeouts. It answers at once while the AWS
        endpoint is down or not yet serving, where the shared client's retries back off for a second or more."""
        with self._lock:
            if self._health is None:
                self._health = own_client("cognito-idp", Config(retries={"total_max_attempts": 1},
                                                                connect_timeout=1, read_timeout=2))
            return self._health

    def lambda_client(self):
        """Lambda without retries (a retried Invoke would run the trigger twice) and with Cognito's wait."""
        with self._lock:
            if self._lambda is None:
                apply_local_aws_defaults()
                s = sandbox_settings()
                self._lambda = boto3.session.Session().client(
                    "lambda", region_name=s.aws_region, endpoint_url=s.aws_endpoint_url or None,
                    config=Config(retries={"total_max_attempts": 1}, connect_timeout=2,
                                  read_timeout=self._cfg.trigger_timeout + 0.5, max_pool_connections=50))
            return self._lambda

    def internal(self, path: str, body: dict) -> Answer:
        """POST to the AWS endpoint's /_sandbox/cognito-idp/... (what the AWS API cannot do)."""
        return self._http.request("POST", f"/_sandbox/cognito-idp/{path}", json.dumps(body).encode())

    def get_json(self, path: str) -> dict:
        """GET the AWS endpoint's JSON at `path`; requests.HTTPError (with .response) unless 200."""
        answer = self._http.request("GET", path)
        if answer.status_code != 200:
            raise requests.HTTPError(f"{answer.status_code} for {path}", response=answer)
        return answer.json()
