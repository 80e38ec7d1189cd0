"""boto3 clients for the configured AWS: the sandbox endpoint, or real AWS when AWS_ENDPOINT_URL is empty."""

from __future__ import annotations

from functools import lru_cache

import boto3
from botocore.config import Config

from sandbox.config import apply_local_aws_defaults, settings


@lru_cache(maxsize=None)
def client(service: str):
    """A shared client per service (boto3 clients are thread-safe; sessions are not)."""
    apply_local_aws_defaults()
    s = settings()
    return boto3.session.Session().client(
        service,
        region_name=s.aws_region,
        endpoint_url=s.aws_endpoint_url or None,
        config=Config(retries={"max_attempts": 3, "mode": "standard"}, max_pool_connections=50),
    )
