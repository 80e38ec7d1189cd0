"""boto3 clients for the configured AWS: the sandbox endpoint, or real AWS when AWS_ENDPOINT_URL is empty."""

from __future__ import annotations

import threading
from functools import lru_cache

import boto3
from botocore.config import Config

from sandbox.config import apply_local_aws_defaults, settings


_session_lock = threading.Lock()
# A health check's client: one attempt and short timeouts, so it answers at once while the AWS endpoint is
# down or not yet serving (the shared client's retries back off for a second or more).
HEALTH_CHECK = Config(retries={"total_max_attempts": 1}, connect_timeout=1, read_timeout=2)


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
