"""The hosted UI's cache of the pool's JWKS (hosted_ui/pool_keys.py): an unknown kid cannot make it
fetch the key set on every request."""

from __future__ import annotations

import pytest

from hosted_ui import pool_keys

JWKS = {"keys": [{"kty": "RSA", "kid": "known", "alg": "RS256", "use": "sig", "e": "AQAB",
                  "n": "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw"}]}


@pytest.fixture
def fake_jwks(monkeypatch):
    calls: list[str] = []

    def get_json(path):
        calls.append(path)
        return JWKS

    monkeypatch.setattr(pool_keys, "get_json", get_json)
    monkeypatch.setattr(pool_keys, "_keys", {})
    monkeypatch.setattr(pool_keys, "_fetched_at", {}, raising=False)
    return calls


def test_unknown_kids_refetch_the_key_set_at_most_once_per_interval(fake_jwks):
    now = [1000.0]
    clock = lambda: now[0]  # noqa: E731
    assert pool_keys.key("us-east-1_pool", "known", clock).key_id == "known"
    for i in range(50):
        assert pool_keys.key("us-east-1_pool", f"made-up-{i}", clock) is None
    assert len(fake_jwks) == 1
    now[0] += pool_keys.MIN_REFETCH_SECONDS
    assert pool_keys.key("us-east-1_pool", "rotated-in", clock) is None
    assert len(fake_jwks) == 2


def test_a_known_kid_never_refetches(fake_jwks):
    for _ in range(20):
        assert pool_keys.key("us-east-1_pool", "known").key_id == "known"
    assert fake_jwks == ["/us-east-1_pool/.well-known/jwks.json"]


def test_each_pool_has_its_own_interval(fake_jwks):
    assert pool_keys.key("us-east-1_a", "x") is None
    assert pool_keys.key("us-east-1_b", "x") is None
    assert fake_jwks == ["/us-east-1_a/.well-known/jwks.json", "/us-east-1_b/.well-known/jwks.json"]
