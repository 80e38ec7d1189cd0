"""The mock Okta's in-memory stores stay bounded: anonymous GET /v1/authorize requests cannot grow memory
without limit (each stores a pending sign-in page for OKTA_SIGNIN_PAGE_TTL_SECONDS)."""

from __future__ import annotations

from dataclasses import dataclass

from mock_idp.models import Directory, Expiring, State


@dataclass(frozen=True)
class Thing:
    expires_at: float


def test_expired_entries_are_dropped_on_the_next_insert_not_a_thousand_inserts_later():
    store = Expiring(max_items=100)
    store.put("old", Thing(expires_at=10), now=0)
    store.put("new", Thing(expires_at=1000), now=20)  # "old" expired at 10
    assert len(store) == 1 and store.get("new", 20) is not None


def test_past_its_cap_a_store_drops_its_oldest_entries_first():
    store = Expiring(max_items=3)
    for i in range(5):
        store.put(f"k{i}", Thing(expires_at=1000), now=0)
    assert len(store) == 3
    assert [store.get(f"k{i}", 0) is not None for i in range(5)] == [False, False, True, True, True]


def test_pending_sign_in_pages_and_codes_are_capped_at_ten_thousand():
    state = State(Directory({}, 0))
    for store in (state.signin_pages, state.codes):
        for i in range(10_005):
            store.put(f"k{i}", Thing(expires_at=600), now=0)
        assert len(store) == 10_000
        assert store.get("k0", 0) is None and store.get("k10004", 0) is not None


def test_revoked_access_tokens_are_never_forgotten_before_they_expire():
    state = State(Directory({}, 0))
    assert state.revoked_access.max_items is None
