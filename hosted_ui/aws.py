"""The hosted UI's AWS calls: boto3 for the AWS API, and the endpoint's internal Cognito calls."""

from __future__ import annotations

import threading

import boto3
import requests
from botocore.config import Config

from hosted_ui.settings import Settings
from sandbox.aws import client
from sandbox.config import apply_local_aws_defaults
from sandbox.config import settings as sandbox_settings


class Aws:
    """One hosted UI's connections to AWS: its HTTP session and its Lambda client."""

    def __init__(self, cfg: Settings):
        self._cfg = cfg
        self._http = requests.Session()
        # Only the AWS endpoint's own /_sandbox/ calls: no proxy or CA bundle of the environment applies,
        # and requests would look them up again on every call.
        self._http.trust_env = False
        self._lambda = None
        self._lock = threading.Lock()

    def cognito(self):
        return client("cognito-idp")

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

    def internal(self, path: str, body: dict) -> requests.Response:
        """POST to the AWS endpoint's /_sandbox/cognito-idp/... (what the AWS API cannot do)."""
        return self._http.post(f"{self._cfg.aws_backchannel_url}/_sandbox/cognito-idp/{path}", json=body,
                               timeout=10)

    def get_json(self, path: str) -> dict:
        response = self._http.get(f"{self._cfg.aws_backchannel_url}{path}", timeout=10)
        response.raise_for_status()
        return response.json()
