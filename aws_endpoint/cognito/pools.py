"""Find a user pool in moto's backends, in-process (region from the pool id, any account)."""

from __future__ import annotations

from moto.cognitoidp.models import CognitoIdpUserPool, cognitoidp_backends

from aws_endpoint.cognito.errors import ResourceNotFound


def find_pool(pool_id: str) -> CognitoIdpUserPool:
    """Return the pool or raise ResourceNotFound with the AWS API's message."""
    region = pool_id.split("_", 1)[0] if "_" in pool_id else ""
    for account in list(cognitoidp_backends.keys()):
        backends = cognitoidp_backends[account]
        if region not in backends.keys():
            continue
        pool = backends[region].user_pools.get(pool_id)
        if pool is not None:
            return pool
    raise ResourceNotFound(f"User pool {pool_id} does not exist.")
