"""The authorizer's verified-token cache: a repeated token skips the RSA verify, and nothing else.

Expiry, issuer, scopes and audience are still checked on every request, a different string is never
served from the cache, and a token verified with a key that is then rotated away is refused once the JWKS
cache has dropped that key, exactly as without the cache."""

from __future__ import annotations

import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from aws_endpoint.apigateway import authorizer
from aws_endpoint.apigateway.authorizer import Pool, VerifiedTokens, check_use, verify
from aws_endpoint.apigateway.errors import ExpiredToken, Unauthorized
from aws_endpoint.apigateway.jwks import JwksCache

POOL = Pool(region="us-east-1", account_id="123456789012", pool_id="us-east-1_cachetest")
OTHER_POOL = Pool(region="us-east-1", account_id="123456789012", pool_id="us-east-1_otherpool")


class Issuer:
    """A pool's signing keys, served as its JWKS."""

    def __init__(self, *kids: str):
        self.private = {kid: rsa.generate_private_key(public_exponent=65537, key_size=2048) for kid in kids}
        self.published = list(kids)
        self.calls = 0

    def fetch(self, url: str) -> dict:
        self.calls += 1
        return {"keys": [{**json.loads(RSAAlgorithm.to_jwk(self.private[kid].public_key())), "kid": kid,
                          "alg": "RS256", "use": "sig"} for kid in self.published]}

    def rotate(self, kid: str) -> None:
        """Publish a new key `kid` and withdraw every other."""
        self.private[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.published = [kid]

    def sign(self, kid: str, **claims) -> str:
        base = {"iss": POOL.issuer, "token_use": "access", "scope": "sandbox-api/profile.read", "sub": "s",
                "client_id": "client-1", "exp": int(time.time()) + 3600}
        return jwt.encode({**base, **claims}, self.private[kid], algorithm="RS256", headers={"kid": kid})


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def rsa_verifies(monkeypatch):
    """How many RSA signature checks the authorizer ran."""
    count = {"n": 0}
    real = authorizer.RS256.verify

    def counting(*args):
        count["n"] += 1
        return real(*args)

    monkeypatch.setattr(authorizer.RS256, "verify", counting)
    return count


def test_a_repeated_token_is_verified_once_and_gives_the_same_claims(rsa_verifies):
    issuer = Issuer("k1")
    cache, tokens = JwksCache(fetch=issuer.fetch, clock=Clock()), VerifiedTokens()
    token = issuer.sign("k1")
    now = time.time()
    first, pool = verify(token, [POOL], cache, now, tokens)
    second, _ = verify(token, [POOL], cache, now + 1, tokens)
    assert first == second and first["token_use"] == "access"
    assert pool == POOL
    assert rsa_verifies["n"] == 1
    second["scope"] = "tampered by a caller"
    assert verify(token, [POOL], cache, now + 2, tokens)[0]["scope"] == "sandbox-api/profile.read"


def test_a_cached_token_still_expires(rsa_verifies):
    issuer = Issuer("k1")
    cache, tokens = JwksCache(fetch=issuer.fetch, clock=Clock()), VerifiedTokens()
    exp = int(time.time()) + 60
    token = issuer.sign("k1", exp=exp)
    verify(token, [POOL], cache, exp - 1, tokens)
    assert len(tokens) == 1
    with pytest.raises(ExpiredToken):
        verify(token, [POOL], cache, exp, tokens)
    assert len(tokens) == 0  # evicted at its exp
    with pytest.raises(ExpiredToken):
        verify(token, [POOL], cache, exp + 3600, tokens)


def test_a_token_verified_with_a_key_then_rotated_away_is_refused_after_the_jwks_refresh(rsa_verifies):
    issuer, clock = Issuer("old"), Clock()
    cache, tokens = JwksCache(fetch=issuer.fetch, clock=clock, min_refetch_seconds=30), VerifiedTokens()
    old_token = issuer.sign("old")
    now = time.time()
    verify(old_token, [POOL], cache, now, tokens)
    verify(old_token, [POOL], cache, now, tokens)  # served from the cache
    assert rsa_verifies["n"] == 1

    issuer.rotate("new")
    clock.now += 31
    new_token = issuer.sign("new")
    verify(new_token, [POOL], cache, now, tokens)  # the unknown kid refetches the JWKS: "old" is gone
    assert issuer.calls == 2
    with pytest.raises(Unauthorized):
        verify(old_token, [POOL], cache, now, tokens)
    clock.now += 31  # even once a refetch is allowed again, the key stays gone
    with pytest.raises(Unauthorized):
        verify(old_token, [POOL], cache, now, tokens)


def test_a_different_string_is_never_served_from_the_cache():
    issuer = Issuer("k1")
    cache, tokens = JwksCache(fetch=issuer.fetch, clock=Clock()), VerifiedTokens()
    token = issuer.sign("k1")
    now = time.time()
    verify(token, [POOL], cache, now, tokens)
    header, payload, signature = token.split(".")
    forged_payload = jwt.utils.base64url_encode(json.dumps(
        {**jwt.decode(token, options={"verify_signature": False}), "scope": "sandbox-api/admin.read"}).encode()).decode()
    for forged in (f"{header}.{forged_payload}.{signature}", f"{header}.{payload}.{signature[:-4]}AAAA",
                   f"{header}.{payload}."):
        with pytest.raises(Unauthorized):
            verify(forged, [POOL], cache, now, tokens)
    assert len(tokens) == 1


def test_a_cached_token_is_still_checked_against_the_authorizers_pools_and_the_methods_scopes(monkeypatch):
    monkeypatch.setattr(Pool, "client_ids", lambda self: {"client-1"})  # this pool is not in moto
    issuer = Issuer("k1")
    cache, tokens = JwksCache(fetch=issuer.fetch, clock=Clock()), VerifiedTokens()
    token = issuer.sign("k1")
    now = time.time()
    claims, pool = verify(token, [POOL], cache, now, tokens)
    check_use(claims, pool, ["sandbox-api/profile.read"])
    with pytest.raises(Unauthorized):
        verify(token, [OTHER_POOL], cache, now, tokens)  # another authorizer's pool
    claims, pool = verify(token, [POOL], cache, now, tokens)
    with pytest.raises(Unauthorized):
        check_use(claims, pool, ["sandbox-api/admin.read"])  # another method's scope
    with pytest.raises(Unauthorized):
        check_use(claims, pool, [])  # a method taking ID tokens


def test_the_cache_is_bounded_and_drops_expired_entries_first():
    issuer = Issuer("k1")
    cache, tokens = JwksCache(fetch=issuer.fetch, clock=Clock()), VerifiedTokens(max_entries=3)
    now = int(time.time())
    short = issuer.sign("k1", exp=now + 10, sub="short")
    verify(short, [POOL], cache, now, tokens)
    long_lived = [issuer.sign("k1", exp=now + 3600, sub=f"u{n}") for n in range(2)]
    for token in long_lived:
        verify(token, [POOL], cache, now, tokens)
    assert len(tokens) == 3
    newest = issuer.sign("k1", exp=now + 3600, sub="newest")
    verify(newest, [POOL], cache, now + 20, tokens)  # full: the expired one goes, not the oldest live one
    assert len(tokens) == 3
    assert all(tokens.get(t, cache) is not None for t in (*long_lived, newest))
    verify(issuer.sign("k1", exp=now + 3600, sub="one-more"), [POOL], cache, now + 20, tokens)
    assert len(tokens) == 3
    assert tokens.get(long_lived[0], cache) is None  # nothing expired: the oldest goes
