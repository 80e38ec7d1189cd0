"""The hosted UI's cache of the pool's JWKS (hosted_ui/pool_keys.py): an unknown kid cannot make it
fetch the key set on every request."""

from __future__ import annotations

import pytest

from hosted_ui import pool_keys
from hosted_ui.pool_keys import PoolKeys

JWKS = {"keys": [{"kty": "RSA", "kid": "known", "alg": "RS256", "use": "sig", "e": "AQAB",
                  "n": "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw"}]}


@pytest.fixture
def fake_jwks():
    calls: list[str] = []

    def get_json(path):
        calls.append(path)
        return JWKS

    return calls, get_json


def test_unknown_kids_refetch_the_key_set_at_most_once_per_interval(fake_jwks):
    fake_jwks, get_json = fake_jwks
    now = [1000.0]
    keys = PoolKeys(get_json, clock=lambda: now[0])
    assert keys.key("us-east-1_pool", "known").key_id == "known"
    for i in range(50):
        assert keys.key("us-east-1_pool", f"made-up-{i}") is None
    assert len(fake_jwks) == 1
    now[0] += pool_keys.MIN_REFETCH_SECONDS
    assert keys.key("us-east-1_pool", "rotated-in") is None
    assert len(fake_jwks) == 2


def test_a_known_kid_never_refetches(fake_jwks):
    fake_jwks, get_json = fake_jwks
    keys = PoolKeys(get_json)
    for _ in range(20):
        assert keys.key("us-east-1_pool", "known").key_id == "known"
    assert fake_jwks == ["/us-east-1_pool/.well-known/jwks.json"]


def test_each_pool_has_its_own_interval(fake_jwks):
    fake_jwks, get_json = fake_jwks
    keys = PoolKeys(get_json)
    assert keys.key("us-east-1_a", "x") is None
    assert keys.key("us-east-1_b", "x") is None
    assert fake_jwks == ["/us-east-1_a/.well-known/jwks.json", "/us-east-1_b/.well-known/jwks.json"]
