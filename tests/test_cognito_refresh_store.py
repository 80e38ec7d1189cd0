"""The hosted UI's refresh-token store (hosted_ui/refresh_tokens.py) stays bounded: expired refresh
tokens and revocations no access token can still need are dropped."""

from __future__ import annotations

from hosted_ui.refresh_tokens import MAX_ACCESS_TOKEN_SECONDS, SWEEP_SECONDS, RefreshStore
from hosted_ui.tokens import Authentication


def session(n: int) -> Authentication:
    return Authentication("us-east-1_pool", {"ClientId": "c"}, f"user{n}", ("openid",), 0, f"jti-{n}", f"ev-{n}")


def test_expired_refresh_tokens_are_dropped_as_new_ones_are_issued():
    store = RefreshStore()
    for n in range(100):
        store.issue(session(n), lifetime=60, now=1000.0)
    assert store.sizes() == (100, 0)
    store.issue(session(100), lifetime=60, now=1000.0 + 61 + SWEEP_SECONDS)
    assert store.sizes() == (1, 0)


def test_an_expired_refresh_token_is_dropped_when_it_is_presented():
    store = RefreshStore()
    token = store.issue(session(1), lifetime=60, now=1000.0)
    assert store.get(token, 1030.0) is not None
    assert store.get(token, 1061.0) is None
    assert store.sizes() == (0, 0)


def test_a_revocation_is_kept_while_an_access_token_can_live_then_dropped():
    store = RefreshStore()
    token = store.issue(session(1), lifetime=3600, now=1000.0)
    store.revoke(token, now=1100.0)
    assert store.revoked("jti-1") and store.sizes() == (0, 1)
    store.issue(session(2), lifetime=3600, now=1100.0 + MAX_ACCESS_TOKEN_SECONDS - 1)
    assert store.revoked("jti-1")
    store.issue(session(3), lifetime=3600, now=1100.0 + MAX_ACCESS_TOKEN_SECONDS + SWEEP_SECONDS + 1)
    assert not store.revoked("jti-1")
    assert store.sizes()[1] == 0
