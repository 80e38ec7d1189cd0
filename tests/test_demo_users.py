"""The demo site's Django users (demo_site/oidc/backend.py): keyed on cognito:username, each lookup one SQL
statement, the users it gives the ORM's own (same fields, saved as the ORM saves them)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from demo_site.oidc.backend import CognitoBackend

pytestmark = pytest.mark.django_db(transaction=True)

CLAIMS = {"cognito:username": "okta_00u1alice", "email": "alice@example.com", "given_name": "Alice",
          "family_name": "Anderson"}


@pytest.fixture
def alice() -> User:
    return User.objects.create(username="okta_00u1alice", email="alice@example.com", first_name="Alice",
                               last_name="Anderson", is_staff=True)


def test_the_user_keyed_on_the_cognito_username_is_found_in_one_statement_with_every_field(alice):
    User.objects.create(username="okta_00u1bob")
    with CaptureQueriesContext(connection) as queries:
        (found,) = CognitoBackend().filter_users_by_claims(CLAIMS)
    assert len(queries) == 1
    assert model_to_dict(found) == model_to_dict(User.objects.get(pk=alice.pk))
    assert (found.password, found.date_joined, found._state.adding, found._state.db) == (
        alice.password, alice.date_joined, False, "default")


def test_no_user_is_found_for_another_cognito_username(alice):
    assert CognitoBackend().filter_users_by_claims({**CLAIMS, "cognito:username": "okta_someone"}) == []


def test_a_signed_in_users_id_gives_that_user_and_an_unknown_id_none(alice):
    backend = CognitoBackend()
    assert backend.get_user(alice.pk) == alice and backend.get_user(alice.pk).username == "okta_00u1alice"
    assert backend.get_user(alice.pk + 1000) is None


def test_a_returning_user_whose_details_changed_is_updated_and_one_whose_did_not_costs_no_write(alice):
    backend = CognitoBackend()
    with CaptureQueriesContext(connection) as queries:
        backend.get_or_create_user("access", "id", CLAIMS)
    assert [q["sql"].split()[0] for q in queries] == ["SELECT"]
    user = backend.get_or_create_user("access", "id", {**CLAIMS, "email": "alice@new.example.com"})
    assert user.pk == alice.pk
    assert User.objects.get(pk=alice.pk).email == "alice@new.example.com"


def test_a_first_sign_in_creates_the_user(db):
    user = CognitoBackend().get_or_create_user("access", "id", CLAIMS)
    assert User.objects.get(username="okta_00u1alice").pk == user.pk and not user.has_usable_password()
