"""The hosted UI's AWS calls: boto3 for the AWS API, and the endpoint's internal Cognito calls."""

from __future__ import annotations

from functools import lru_cache

import boto3
import requests
from botocore.config import Config

from hosted_ui.settings import settings
from sandbox.aws import client
from sandbox.config import apply_local_aws_defaults
from sandbox.config import settings as sandbox_settings

_http = requests.Session()


def cognito():
    return client("cognito-idp")


@lru_cache(maxsize=1)
def lambda_client():
    """Lambda without retries (a retried Invoke would run the trigger twice) and with Cognito's wait."""
    apply_local_aws_defaults()
    s = sandbox_settings()
    return boto3.session.Session().client(
        "lambda", region_name=s.aws_region, endpoint_url=s.aws_endpoint_url or None,
        config=Config(retries={"total_max_attempts": 1}, connect_timeout=2,
                      read_timeout=settings().trigger_timeout + 0.5, max_pool_connections=50))


def internal(path: str, body: dict) -> requests.Response:
    """POST to the AWS endpoint's /_sandbox/cognito-idp/... (what the AWS API cannot do)."""
    return _http.post(f"{settings().aws_backchannel_url}/_sandbox/cognito-idp/{path}", json=body, timeout=10)


def get_json(path: str) -> dict:
    response = _http.get(f"{settings().aws_backchannel_url}{path}", timeout=10)
    response.raise_for_status()
    return response.json()
