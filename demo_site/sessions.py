"""Django's database sessions (its table, its encoding, its errors), each read and write one SQL statement.

A sign-in's callback touches its session five times (mozilla-django-oidc saves the popped state, reloads
the session, `login` gives it a new key, the middleware saves it); through the ORM each of those built its
query anew and the new key took four statements (a SELECT to check the random key is free, an INSERT, a
SELECT and a DELETE of the old row). Here each is one statement, and the new key is one UPDATE of the
row's key: the table's primary key refuses a key in use, as the INSERT did. Rows, their encoding and
expiry are Django's own (`django.contrib.sessions.backends.db`), so its tools (clearsessions) still apply.
"""

from __future__ import annotations

from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError, UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string


class SessionStore(DatabaseSessionStore):
    def _db(self) -> str:
        return router.db_for_write(self.model)

    def _execute(self, sql: str, params: list):
        """Run one statement on the sessions table; return (first row or None, rows changed)."""
        connection = connections[self._db()]
        with connection.cursor() as cursor:
            cursor.execute(sql.format(table=connection.ops.quote_name(self.model._meta.db_table)), params)
            return (cursor.fetchone() if sql.startswith("SELECT") else None), cursor.rowcount

    def _when(self, value):
        return connections[self._db()].ops.adapt_datetimefield_value(value)

    def load(self) -> dict:
        row, _ = self._execute("SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",
                               [self.session_key, self._when(timezone.now())])
        if row is None:
            self._session_key = None  # unknown or expired: a new key when saved (Django's db backend)
            return {}
        return self.decode(row[0])

    def _get_new_session_key(self) -> str:
        # No SELECT to see whether the random key is free: the primary key refuses it at the INSERT (create's
        # CreateError) or the UPDATE (cycle_key), and both draw another.
        return get_random_string(32, VALID_KEY_CHARS)

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            return self.create()
        data = self._get_session(no_load=must_create)
        params = [self.encode(data), self._when(self.get_expiry_date()), self._get_or_create_session_key()]
        with transaction.atomic(using=self._db()):  # BEGIN IMMEDIATE: the write lock first (settings.py)
            if must_create:
                try:
                    self._execute("INSERT INTO {table} (session_data, expire_date, session_key) VALUES (%s, %s, %s)",
                                  params)
                except IntegrityError:
                    raise CreateError from None
            else:
                _, changed = self._execute("UPDATE {table} SET session_data = %s, expire_date = %s "
                                           "WHERE session_key = %s", params)
                if not changed:  # deleted meanwhile (signed out in another tab): Django's UpdateError
                    raise UpdateError

    def cycle_key(self) -> None:
        """A new key for the same session (login's defence against session fixation), with its current data,
        the old key gone: one UPDATE of the row's key."""
        data, old = self._session, self.session_key
        if old is None:
            return super().cycle_key()
        while True:
            new = self._get_new_session_key()
            params = [new, self.encode(data), self._when(self.get_expiry_date()), old]
            try:
                with transaction.atomic(using=self._db()):
                    _, changed = self._execute("UPDATE {table} SET session_key = %s, session_data = %s, "
                                               "expire_date = %s WHERE session_key = %s", params)
            except IntegrityError:
                continue  # the new key is taken: draw another
            break
        if not changed:  # the old row is gone (expired, deleted): a new one, as Django's create() makes
            self._session_key = None
            self._session_cache = data
            self.create()
            return
        self._session_key = new
        self._session_cache = data
        self.modified = True

    def delete(self, session_key: str | None = None) -> None:
        key = session_key if session_key is not None else self.session_key
        if key is None:
            return
        with transaction.atomic(using=self._db()):
            self._execute("DELETE FROM {table} WHERE session_key = %s", [key])
