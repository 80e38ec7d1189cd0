"""Django's database sessions (its table, its encoding, its errors), each read and write one SQL statement.

A sign-in's callback touches its session five times (mozilla-django-oidc saves the popped state, reloads
the session, `login` gives it a new key, the middleware saves it); through the ORM each of those built its
query anew and the new key took four statements (a SELECT to check the random key is free, an INSERT, a
SELECT and a DELETE of the old row). Here each is one statement, and the new key is no statement of its
own: the save that follows moves the row to it (one UPDATE; the table's primary key refuses a key in use,
as the INSERT did). Rows, their encoding and expiry are Django's own
(`django.contrib.sessions.backends.db`), so its tools (clearsessions) still apply. The data is signed as
Django signs it, without the zlib pass Django's `encode` adds (`signing.dumps(compress=False)`, which
Django's `decode` reads as it reads a compressed one): a signed-in session is mostly its tokens, random
base64 that compresses by a fifth, and compressing was half the CPU of every session write.
"""

from __future__ import annotations

import base64
import secrets

from django.contrib.sessions.backends.base import CreateError, UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core import signing
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    def _db(self) -> str:
        return router.db_for_write(self.model)

    def _execute(self, sql: str, params: list):
        """Run one statement on the sessions table; return (first row or None, rows changed)."""
        connection = connections[self._db()]
        with connection.cursor() as cursor:
            cursor.execute(sql.format(table=connection.ops.quote_name(self.model._meta.db_table)), params)
            return (cursor.fetchone() if sql.startswith("SELECT") else None), cursor.rowcount

    def _write(self, sql: str, params: list):
        """_execute for a statement that writes. On its own (autocommit) one statement is its own
        transaction, and SQLite takes the write lock as the statement begins, waiting `timeout` for it
        (settings.py), as the BEGIN IMMEDIATE of an atomic block would: no BEGIN and COMMIT round of our own,
        which were a third of a session write. Inside a caller's transaction it runs in a savepoint, as
        Django's own backend does, so a refused key (IntegrityError) leaves that transaction usable."""
        if connections[self._db()].in_atomic_block:
            with transaction.atomic(using=self._db()):
                return self._execute(sql, params)
        return self._execute(sql, params)

    def _when(self, value):
        return connections[self._db()].ops.adapt_datetimefield_value(value)

    def encode(self, session_dict: dict) -> str:
        return signing.dumps(session_dict, salt=self.key_salt, serializer=self.serializer, compress=False)

    def load(self) -> dict:
        row, _ = self._execute("SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",
                               [self.session_key, self._when(timezone.now())])
        if row is None:
            self._session_key = None  # unknown or expired: a new key when saved (Django's db backend)
            return {}
        return self.decode(row[0])

    def _get_new_session_key(self) -> str:
        # No SELECT to see whether the random key is free: the primary key refuses it at the INSERT (create's
        # CreateError) or the UPDATE (cycle_key), and both draw another. 32 characters of Django's alphabet
        # (lower case and digits) from one read of the OS's randomness: 160 bits, as Django's 32 draws give
        # 165, which took a system call each (36 us a key).
        return base64.b32encode(secrets.token_bytes(20)).decode("ascii").lower()

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            return self.create()
        if self._renamed_from is not None and not must_create:
            return self._save_renamed()
        data = self._get_session(no_load=must_create)
        params = [self.encode(data), self._when(self.get_expiry_date()), self._get_or_create_session_key()]
        if must_create:
            try:
                self._write("INSERT INTO {table} (session_data, expire_date, session_key) VALUES (%s, %s, %s)", params)
            except IntegrityError:
                raise CreateError from None
        else:
            _, changed = self._write("UPDATE {table} SET session_data = %s, expire_date = %s WHERE session_key = %s",
                                     params)
            if not changed:  # deleted meanwhile (signed out in another tab): Django's UpdateError
                raise UpdateError

    _renamed_from: str | None = None  # the key the row has until the next save (cycle_key)

    def cycle_key(self) -> None:
        """A new key for the same session (login's defence against session fixation). The row takes it, with
        the session's data, in the one UPDATE that saves the session (the middleware saves a session that
        changed, at the end of the request); until then the row under the old key is the session as it
        was, so a request that fails before saving leaves the browser as it came (not signed in)."""
        if self.session_key is None:
            return super().cycle_key()
        data = self._session
        if self._renamed_from is None:
            self._renamed_from = self.session_key
        self._session_key = self._get_new_session_key()
        self._session_cache = data
        self.modified = True

    def _save_renamed(self) -> None:
        data = self._get_session()
        while True:
            params = [self.session_key, self.encode(data), self._when(self.get_expiry_date()), self._renamed_from]
            try:
                _, changed = self._write("UPDATE {table} SET session_key = %s, session_data = %s, "
                                         "expire_date = %s WHERE session_key = %s", params)
            except IntegrityError:
                self._session_key = self._get_new_session_key()  # the new key is taken: draw another
                continue
            break
        self._renamed_from = None
        if not changed:  # the old row is gone (expired, deleted): a new one, as Django's cycle_key makes
            self.create()

    def delete(self, session_key: str | None = None) -> None:
        if session_key is None:  # this session: its row may still be under the key it had (cycle_key)
            session_key, self._renamed_from = self._renamed_from or self.session_key, None
        if session_key is None:
            return
        self._write("DELETE FROM {table} WHERE session_key = %s", [session_key])
