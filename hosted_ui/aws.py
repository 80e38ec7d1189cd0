"""The hosted UI's AWS calls: boto3 for the AWS API, and the endpoint's internal Cognito calls."""

from __future__ import annotations

import json
import threading

import requests
from botocore.config import Config

from hosted_ui.settings import Settings
from sandbox.aws import HEALTH_CHECK, client, own_client
from sandbox.kept_http import Answer, KeptConnections

JSON = {"Content-Type": "application/json"}


class Aws:
    """One hosted UI's connections to AWS: its kept connections to the AWS endpoint and its Lambda client."""

    def __init__(self, cfg: Settings):
        self._cfg = cfg
        # The endpoint's own /_sandbox/ paths on kept connections: http.client's headers and trust (no
        # proxy, CA bundle or redirect of the environment applies to these calls).
        self._http = KeptConnections(verify=None, headers={})
        self._base = cfg.aws_backchannel_url.rstrip("/")
        self._lambda = None
        self._health = None
        self._lock = threading.Lock()

    def cognito(self):
        return client("cognito-idp")

    def health_cognito(self):
        """Cognito for the health check (sandbox.aws.HEALTH_CHECK's attempts and timeouts)."""
        with self._lock:
            if self._health is None:
                self._health = own_client("cognito-idp", HEALTH_CHECK)
            return self._health

    def lambda_client(self):
        """Lambda without retries (a retried Invoke would run the trigger twice) and with Cognito's wait."""
        with self._lock:
            if self._lambda is None:
                self._lambda = own_client("lambda", Config(retries={"total_max_attempts": 1}, connect_timeout=2,
                                                           read_timeout=self._cfg.trigger_timeout + 0.5,
                                                           max_pool_connections=50))
            return self._lambda

    def internal(self, path: str, body: dict) -> Answer:
        """POST to the AWS endpoint's /_sandbox/cognito-idp/... (what the AWS API cannot do)."""
        return self._http.request("POST", f"{self._base}/_sandbox/cognito-idp/{path}", headers=JSON,
                                  body=json.dumps(body).encode(), timeout=10)

    def get_json(self, path: str) -> dict:
        """GET the AWS endpoint's JSON at `path`; requests.HTTPError (with .response) unless 200."""
        answer = self._http.request("GET", self._base + path, timeout=10)
        if answer.status_code != 200:
            raise requests.HTTPError(f"{answer.status_code} for {path}", response=answer)
        return answer.json()
