"""The demo site's session store (demo_site/sessions.py): Django's database sessions, one statement per read
or write, and login's new key one UPDATE; what Django's own db backend promises still holds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.base import CreateError, UpdateError
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from demo_site.sessions import SessionStore

pytestmark = pytest.mark.django_db(transaction=True)


def saved(data: dict) -> SessionStore:
    store = SessionStore()
    store.update(data)
    store.save()
    return store


def test_a_saved_session_is_read_back_by_key_and_by_djangos_own_store():
    store = saved({"demo_flow": "abc", "n": 1})
    assert dict(SessionStore(store.session_key).load()) == {"demo_flow": "abc", "n": 1}
    assert DjangoStore(store.session_key).load() == {"demo_flow": "abc", "n": 1}


def test_an_expired_or_unknown_key_reads_as_an_empty_session_with_no_key():
    store = saved({"n": 1})
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(store.session_key)
    assert expired.load() == {} and expired.session_key is None
    assert SessionStore("x" * 32).load() == {}


def test_a_new_key_keeps_the_data_and_once_saved_the_old_key_no_longer_exists():
    store = saved({"before": 1})
    old = store.session_key
    store["after"] = 2
    with CaptureQueriesContext(connection) as queries:
        store.cycle_key()
        store.save()
    assert store.session_key != old and store.modified
    statements = [q["sql"].split()[0] for q in queries.captured_queries]
    assert [s for s in statements if s not in ("BEGIN", "COMMIT")] == ["UPDATE"]  # one, in a transaction
    assert not Session.objects.filter(session_key=old).exists()
    assert SessionStore(store.session_key).load() == {"before": 1, "after": 2}


def test_a_new_key_never_saved_leaves_the_old_row_as_it_was_and_no_row_under_the_new_key():
    store = saved({"before": 1})
    old = store.session_key
    store["_auth_user_id"] = "1"
    store.cycle_key()  # a request that fails before the middleware saves (a 500): nothing written
    assert SessionStore(old).load() == {"before": 1}
    assert not Session.objects.filter(session_key=store.session_key).exists()


def test_signing_out_after_a_new_key_deletes_the_row_under_the_old_key():
    store = saved({"n": 1})
    old = store.session_key
    store.cycle_key()
    store.flush()
    assert not Session.objects.filter(session_key=old).exists() and store.session_key is None


def test_a_new_key_for_a_session_whose_row_is_gone_makes_a_new_row():
    store = saved({"n": 1})
    old = store.session_key
    Session.objects.filter(session_key=old).delete()
    store.cycle_key()
    store.save()
    assert store.session_key not in (None, old)
    assert SessionStore(store.session_key).load() == {"n": 1}


def test_saving_a_session_deleted_meanwhile_is_djangos_update_error():
    store = saved({"n": 1})
    SessionStore().delete(store.session_key)
    store["n"] = 2
    with pytest.raises(UpdateError):
        store.save()


def test_creating_with_a_key_in_use_is_djangos_create_error():
    store = saved({"n": 1})
    again = SessionStore(store.session_key)
    again["n"] = 2
    with pytest.raises(CreateError):
        again.save(must_create=True)
    assert SessionStore(store.session_key).load() == {"n": 1}


def test_a_signed_out_session_is_deleted():
    store = saved({"n": 1})
    key = store.session_key
    store.flush()
    assert store.session_key is None and not Session.objects.filter(session_key=key).exists()


def test_a_saved_session_is_signed_as_django_signs_it_and_read_by_djangos_own_store():
    store = saved({"demo_tokens": {"id_token": "x" * 3000}, "n": 1})
    raw = Session.objects.get(session_key=store.session_key).session_data
    assert not raw.startswith(".")  # Django marks a compressed payload with a leading dot: none here
    assert DjangoStore(store.session_key).load() == {"demo_tokens": {"id_token": "x" * 3000}, "n": 1}
    assert SessionStore().decode(DjangoStore().encode({"old": "compressed row"})) == {"old": "compressed row"}


def test_a_new_session_key_is_32_characters_of_djangos_key_alphabet_and_new_each_time():
    from django.contrib.sessions.backends.base import VALID_KEY_CHARS

    keys = {SessionStore()._get_new_session_key() for _ in range(200)}
    assert len(keys) == 200
    assert all(len(key) == 32 and set(key) <= set(VALID_KEY_CHARS) for key in keys)
