"""boto3 clients for the configured AWS: the sandbox endpoint, or real AWS when AWS_ENDPOINT_URL is empty."""

from __future__ import annotations

import threading
from functools import lru_cache

import boto3
from botocore.config import Config

from sandbox.config import apply_local_aws_defaults, settings


_session_lock = threading.Lock()


@lru_cache(maxsize=1)
def _session() -> boto3.session.Session:
    apply_local_aws_defaults()
    return boto3.session.Session()


@lru_cache(maxsize=None)
def client(service: str):
    """A shared client per service."""
    return own_client(service, Config(retries={"max_attempts": 3, "mode": "standard"}, max_pool_connections=50))


def own_client(service: str, config: Config):
    """A new client with its own `config` (e.g. a health check's short timeouts). Clients are thread-safe;
    creating them from the one session (which loads botocore's data files, each service's model, once:
    0.05 s of CPU a service) is not, hence the lock."""
    s = settings()
    with _session_lock:
        return _session().client(service, region_name=s.aws_region, endpoint_url=s.aws_endpoint_url or None,
                                 config=config)
