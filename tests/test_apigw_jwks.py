"""The authorizer's JWKS cache: keys fetched once, refetched on an unknown kid, and not more often than
the rate limit allows, so made-up kids cannot flood the issuer."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from aws_endpoint.apigateway.jwks import JwksCache, KeyUnavailable

URL = "http://issuer.example/us-east-1_pool/.well-known/jwks.json"


def jwk(kid: str) -> dict:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    return {**json.loads(RSAAlgorithm.to_jwk(key)), "kid": kid, "alg": "RS256", "use": "sig"}


class Issuer:
    def __init__(self, *kids: str):
        self.keys = [jwk(k) for k in kids]
        self.calls = 0

    def fetch(self, url: str) -> dict:
        self.calls += 1
        return {"keys": self.keys}


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_known_kid_is_served_from_the_cache_after_the_first_fetch():
    issuer = Issuer("id-key", "access-key")
    cache = JwksCache(fetch=issuer.fetch, clock=Clock())
    assert cache.key(URL, "id-key").key_id == "id-key"
    assert cache.key(URL, "access-key").key_id == "access-key"
    assert cache.key(URL, "id-key").key_id == "id-key"
    assert issuer.calls == 1


def warm_cache(kid: str) -> tuple[Issuer, Clock, JwksCache]:
    """An issuer with key `kid`, and a cache (refetch at most every 30 s) that has fetched its set once."""
    issuer, clock = Issuer(kid), Clock()
    cache = JwksCache(fetch=issuer.fetch, clock=clock, min_refetch_seconds=30)
    cache.key(URL, kid)
    return issuer, clock, cache


def test_an_unknown_kid_refetches_and_finds_a_rotated_key():
    issuer, clock, cache = warm_cache("old")
    issuer.keys.append(jwk("new"))
    clock.now += 31
    assert cache.key(URL, "new").key_id == "new"
    assert issuer.calls == 2


def test_made_up_kids_cause_at_most_one_fetch_per_interval():
    issuer, clock, cache = warm_cache("real")
    for n in range(50):
        with pytest.raises(KeyUnavailable):
            cache.key(URL, f"garbage-{n}")
    assert issuer.calls == 1
    clock.now += 31
    with pytest.raises(KeyUnavailable):
        cache.key(URL, "garbage-again")
    assert issuer.calls == 2


def test_an_unreachable_jwks_is_key_unavailable_not_a_crash():
    def down(url: str) -> dict:
        raise OSError("connection refused")

    with pytest.raises(KeyUnavailable):
        JwksCache(fetch=down, clock=Clock()).key(URL, "any")
