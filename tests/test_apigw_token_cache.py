"""The authorizer's verified-token cache: a repeated token skips the RSA verify and the checks of its
claims alone (per method configuration), and nothing else.

Expiry, the issuer and the app client are still checked on every request (scopes and the token's kind
once per method configuration, which a changed method or authorizer makes new), a different string is never
served from the cache, and a token verified with a key that is then rotated away is refused once the JWKS
cache has dropped that key, exactly as without the cache."""

from __future__ import annotations

import json
import time
from types import SimpleNamespace

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from aws_endpoint.apigateway import authorizer
from aws_endpoint.apigateway.authorizer import Pool, VerifiedTokens, check_client, check_token_use, verified_entry
from aws_endpoint.apigateway.errors import ExpiredToken, Unauthorized
from aws_endpoint.apigateway.jwks import JwksCache
from aws_endpoint.apigateway.proxy_event import string_claims
from aws_endpoint.apigateway.stage_variables import substitute

POOL = Pool(region="us-east-1", account_id="123456789012", pool_id="us-east-1_cachetest")
OTHER_POOL = Pool(region="us-east-1", account_id="123456789012", pool_id="us-east-1_otherpool")


def verify(token, pools, cache, now, tokens):
    """The claims (a copy) and pool of a token the cache verified, as authorize() takes them."""
    entry, pool = verified_entry(token, pools, cache, now, tokens)
    return dict(entry.claims), pool


def check_use(claims, pool, scopes):
    """authorize()'s two checks of a verified token: its kind and scopes, then its app client."""
    check_token_use(claims, scopes)
    check_client(claims, pool, scopes)


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


def authorizer_config(expression: str | None = None):
    """A moto-like COGNITO_USER_POOLS Authorizer on POOL (only the fields authorize() reads)."""
    return SimpleNamespace(type="COGNITO_USER_POOLS", identity_source="method.request.header.Authorization",
                           provider_arns=[f"arn:aws:cognito-idp:{POOL.region}:{POOL.account_id}:userpool/{POOL.pool_id}"],
                           identity_validation_expression=expression)


@pytest.fixture
def pool_clients(monkeypatch):
    """POOL's app client ids, read live by the authorizer (this pool is not in moto)."""
    clients = {"client-1", "id-client"}
    monkeypatch.setattr(Pool, "client_ids", lambda self: clients)
    return clients


def test_the_claims_checks_remembered_for_a_token_follow_a_change_of_the_methods_scopes_or_expression(pool_clients):
    issuer = Issuer("k1")
    cache, tokens = JwksCache(fetch=issuer.fetch, clock=Clock()), VerifiedTokens()
    token = issuer.sign("k1")
    headers, now = {"Authorization": token}, time.time()
    assert authorizer.authorize(authorizer_config(), ["sandbox-api/profile.read"], headers, {}, cache, now,
                                tokens).claims["scope"] == "sandbox-api/profile.read"
    with pytest.raises(Unauthorized):  # the method now asks for another scope (UpdateMethod)
        authorizer.authorize(authorizer_config(), ["sandbox-api/admin.read"], headers, {}, cache, now, tokens)
    with pytest.raises(Unauthorized):  # or takes ID tokens only
        authorizer.authorize(authorizer_config(), [], headers, {}, cache, now, tokens)
    with pytest.raises(Unauthorized):  # the authorizer got a validation expression (an access token has no aud)
        authorizer.authorize(authorizer_config(".*"), ["sandbox-api/profile.read"], headers, {}, cache, now, tokens)
    authorizer.authorize(authorizer_config(), ["sandbox-api/profile.read"], headers, {}, cache, now, tokens)


def test_a_token_let_through_before_is_refused_once_its_app_client_is_deleted(pool_clients):
    issuer = Issuer("k1")
    cache, tokens = JwksCache(fetch=issuer.fetch, clock=Clock()), VerifiedTokens()
    access, id_token = issuer.sign("k1"), issuer.sign("k1", token_use="id", aud="id-client", client_id=None)
    now = time.time()
    authorizer.authorize(authorizer_config(), ["sandbox-api/profile.read"], {"Authorization": access}, {}, cache, now, tokens)
    authorizer.authorize(authorizer_config(), [], {"Authorization": id_token}, {}, cache, now, tokens)
    pool_clients.clear()
    with pytest.raises(Unauthorized):
        authorizer.authorize(authorizer_config(), ["sandbox-api/profile.read"], {"Authorization": access}, {}, cache, now, tokens)
    with pytest.raises(Unauthorized):
        authorizer.authorize(authorizer_config(), [], {"Authorization": id_token}, {}, cache, now, tokens)


def test_a_token_let_through_before_is_refused_from_the_second_of_its_exp(pool_clients):
    issuer = Issuer("k1")
    cache, tokens = JwksCache(fetch=issuer.fetch, clock=Clock()), VerifiedTokens()
    exp = int(time.time()) + 60
    headers = {"Authorization": issuer.sign("k1", exp=exp)}
    authorizer.authorize(authorizer_config(), ["sandbox-api/profile.read"], headers, {}, cache, exp - 1, tokens)
    authorizer.authorize(authorizer_config(), ["sandbox-api/profile.read"], headers, {}, cache, exp - 0.001, tokens)
    with pytest.raises(ExpiredToken):
        authorizer.authorize(authorizer_config(), ["sandbox-api/profile.read"], headers, {}, cache, exp, tokens)


def test_the_proxy_events_string_claims_are_made_once_per_token_and_each_caller_gets_its_own_claims(pool_clients):
    issuer = Issuer("k1")
    cache, tokens = JwksCache(fetch=issuer.fetch, clock=Clock()), VerifiedTokens()
    headers, now = {"Authorization": issuer.sign("k1", **{"cognito:groups": ["a", "b"]})}, time.time()
    first = authorizer.authorize(authorizer_config(), ["sandbox-api/profile.read"], headers, {}, cache, now, tokens)
    second = authorizer.authorize(authorizer_config(), ["sandbox-api/profile.read"], headers, {}, cache, now, tokens)
    assert first.context_claims is second.context_claims
    assert first.context_claims == string_claims(first.claims)
    assert first.context_claims["cognito:groups"] == "a,b" and first.context_claims["exp"].endswith("UTC " + str(
        time.gmtime(first.claims["exp"]).tm_year))
    first.claims["scope"] = "changed by a caller"
    assert second.claims["scope"] == "sandbox-api/profile.read"


def test_stage_variables_in_an_authorizers_pool_arn_are_substituted_and_an_arn_without_any_is_kept():
    assert substitute("arn:aws:cognito-idp:us-east-1:1:userpool/${stageVariables.pool}", {"pool": "p1"}) == \
        "arn:aws:cognito-idp:us-east-1:1:userpool/p1"
    assert substitute("x/${stageVariables.missing}/y", {}) == "x//y"
    assert substitute("arn:aws:cognito-idp:us-east-1:1:userpool/p2", {"pool": "p1"}) == \
        "arn:aws:cognito-idp:us-east-1:1:userpool/p2"
    assert substitute(None, {}) == ""
