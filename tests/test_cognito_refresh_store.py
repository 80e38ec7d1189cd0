"""The hosted UI's refresh-token store (hosted_ui/refresh_tokens.py) and the AWS endpoint's record of
revocations (aws_endpoint/cognito/revocations.py) stay bounded and revoke what Cognito says."""

from __future__ import annotations

import pickle

from aws_endpoint.cognito.revocations import SWEEP_SECONDS as REVOCATION_SWEEP, Revocations
from hosted_ui.persistence import STORES
from hosted_ui.refresh_tokens import SWEEP_SECONDS, RefreshStore
from hosted_ui.tokens import Authentication
from sandbox import state


def session(n: int) -> Authentication:
    return Authentication("us-east-1_pool", {"ClientId": "c"}, f"user{n}", ("openid",), 0, f"jti-{n}", f"ev-{n}")


def test_expired_refresh_tokens_are_dropped_as_new_ones_are_issued():
    store = RefreshStore()
    for n in range(100):
        store.issue(session(n), lifetime=60, now=1000.0)
    assert store.size() == 100
    store.issue(session(100), lifetime=60, now=1000.0 + 61 + SWEEP_SECONDS)
    assert store.size() == 1


def test_what_the_durable_state_keeps_of_a_refresh_token_holds_neither_the_token_nor_the_clients_settings():
    store = RefreshStore()
    client = {"ClientId": "c", "ClientSecret": "client-s3cret", "CallbackURLs": ["https://app.example/cb"] * 20}
    token = store.issue(Authentication("p", client, "u", ("openid",), 0, "j", "e"), lifetime=60, now=1000.0)
    saved = pickle.dumps(state.take(store, STORES["refresh"]))
    assert token.encode() not in saved and b"client-s3cret" not in saved and len(saved) < 600
    assert store.get(token, 1001.0).authentication.client == {"ClientId": "c"}  # the grant reads the rest


def test_a_refresh_token_saved_before_tokens_were_kept_by_their_hash_still_works_after_the_restore():
    from hosted_ui.refresh_tokens import RefreshGrant, new_token

    token = new_token()
    client = {"ClientId": "c", "ClientSecret": "client-s3cret"}
    older = {"_tokens": {token: RefreshGrant(Authentication("p", client, "u", ("openid",), 0, "j", "e"), 2000.0, 900.0)}}
    store = RefreshStore()
    state.put(store, older)
    store.adopt_saved()
    grant = store.get(token, 1000.0)
    assert grant is not None and grant.authentication.username == "u" and grant.issued_at == 900.0
    assert grant.authentication.client == {"ClientId": "c"} and token not in store._tokens


def test_an_expired_refresh_token_is_dropped_when_it_is_presented():
    store = RefreshStore()
    token = store.issue(session(1), lifetime=60, now=1000.0)
    assert store.get(token, 1030.0) is not None
    assert store.get(token, 1061.0) is None
    assert store.size() == 0


def test_a_revoked_session_is_kept_while_an_access_token_signed_for_it_can_live_then_dropped():
    record = Revocations()
    record.register("us-east-1_pool", {"origin_jti": "jti-1", "username": "okta_a", "exp": 1000 + 3600}, now=1000.0)
    record.revoke_session("jti-1", now=1100.0)
    assert record.session_revoked("jti-1")
    record.register("us-east-1_pool", {"origin_jti": "jti-2", "username": "okta_b", "exp": 9000}, now=4599.0)
    assert record.session_revoked("jti-1")
    record.register("us-east-1_pool", {"origin_jti": "jti-3", "username": "okta_c", "exp": 9000},
                    now=4600.0 + REVOCATION_SWEEP + 1)
    assert not record.session_revoked("jti-1")


def test_a_global_sign_out_revokes_the_users_sessions_and_earlier_refresh_tokens_only():
    # GlobalSignOut: the signed-out user's refresh tokens and access tokens; "Other requests might be valid".
    record = Revocations()
    record.register("p", {"origin_jti": "mine", "username": "okta_00u1abc", "exp": 5000}, now=1000.0)
    record.register("p", {"origin_jti": "theirs", "username": "okta_00u1xyz", "exp": 5000}, now=1000.0)
    record.sign_out("p", "Okta_00u1ABC", now=1200.0)  # any case of the name in a case-insensitive pool
    assert record.session_revoked("mine") and not record.session_revoked("theirs")
    assert record.refresh_revoked("p", "okta_00u1abc", "old-session", issued_at=1100.0)
    assert not record.refresh_revoked("p", "okta_00u1abc", "new-session", issued_at=1300.0)
    assert not record.refresh_revoked("p", "okta_00u1xyz", "theirs-old", issued_at=1100.0)
