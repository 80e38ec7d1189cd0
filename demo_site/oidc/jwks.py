"""The user pool's signing keys, fetched once per process and kept, for every check of a token's signature.

One `KeySet` per JWKS URL, shared by every request thread: the sign-in's ID-token check (backend.py) and
the token views of the profile and flow pages (token_view.py). Keys are parsed once (`jwt.PyJWK`). The set
is fetched again when it is older than `MAX_AGE` (a key the pool dropped stops being accepted), or when a
token names a key id the set lacks (a rotated-in key), at most once per `REFETCH_INTERVAL` so tokens with
made-up key ids cannot make this server hammer the key set URL. One thread fetches at a time; the others
wait for its answer instead of fetching too.

The matching is mozilla-django-oidc's `retrieve_matching_jwk`: the key whose `kid` is the token's, skipping
a key whose `alg` differs from the token's header.
"""

from __future__ import annotations

import threading
import time

import jwt
import requests

from demo_site.backchannel import session

MAX_AGE = 300.0  # seconds; PyJWKClient's default lifespan for a cached key set
REFETCH_INTERVAL = 5.0  # seconds between fetches caused by an unknown kid


class KeySetUnavailable(Exception):
    """The key set could not be fetched or read; the message says why."""


class KeySet:
    def __init__(self, url: str, *, clock=time.monotonic):
        self.url = url
        self._clock = clock
        self._lock = threading.Lock()
        self._keys: dict[str, list[tuple[str | None, jwt.PyJWK]]] = {}  # kid -> [(jwk alg, key)]
        self._fetched_at: float | None = None

    def key_for(self, kid: str, alg: str, *, timeout: float) -> jwt.PyJWK | None:
        """The key the token names, or None when the pool's key set has none; KeySetUnavailable when the
        set had to be fetched and could not be."""
        if self._fresh():
            key = self._match(kid, alg)
            if key is not None:
                return key
        with self._lock:  # another thread may have fetched while this one waited
            fetched_at = self._fetched_at
            if not self._fresh() or (self._match(kid, alg) is None
                                     and self._clock() - fetched_at >= REFETCH_INTERVAL):
                self._fetch(timeout)
            return self._match(kid, alg)

    def _fresh(self) -> bool:
        return self._fetched_at is not None and self._clock() - self._fetched_at < MAX_AGE

    def _match(self, kid: str, alg: str) -> jwt.PyJWK | None:
        found = None
        for key_alg, key in self._keys.get(kid, ()):
            if key_alg is None or key_alg == alg:
                found = key  # the last match, as mozilla-django-oidc picks it
        return found

    def _fetch(self, timeout: float) -> None:
        try:
            response = session.get(self.url, timeout=timeout)
            response.raise_for_status()
            jwks = response.json()
            listed = jwks["keys"]
            if not isinstance(listed, list):
                raise ValueError("keys is not a list")
        except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
            raise KeySetUnavailable(f"{exc.__class__.__name__}: {exc}") from None
        keys: dict[str, list] = {}
        for jwk in listed:
            try:
                keys.setdefault(str(jwk["kid"]), []).append((jwk.get("alg"), jwt.PyJWK(jwk)))
            except (KeyError, TypeError, AttributeError, ValueError, jwt.PyJWTError):
                continue  # a key this client cannot use (no kid, unknown type) matches no token
        self._keys, self._fetched_at = keys, self._clock()


_sets: dict[str, KeySet] = {}
_sets_lock = threading.Lock()


def key_set(url: str) -> KeySet:
    """The process's KeySet for `url`."""
    found = _sets.get(url)
    if found is None:
        with _sets_lock:
            found = _sets.setdefault(url, KeySet(url))
    return found
