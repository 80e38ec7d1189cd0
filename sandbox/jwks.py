"""One cache of JSON Web Key Sets for every party that checks signatures (the API Gateway authorizer,
the hosted UI's pool keys and IdP keys, the demo site), each with its own policy:

- a set is fetched on first use and kept `max_age` seconds (None: kept until a kid misses);
- a token naming a kid the set lacks refetches it (the issuer rotated its keys), at most once per
  `min_refetch_seconds` per URL, so tokens with made-up kids cannot turn a verifier into a JWKS flood
  (the policy of aws-jwt-verify's SimpleJwksCache and PyJWT's PyJWKClient);
- a failed fetch counts as one: within the interval the same error is raised again without fetching;
- the match is mozilla-django-oidc's `retrieve_matching_jwk`: the key with the token's `kid`, skipping one
  whose `alg` differs from the token's (the last such key wins).

`fetch(url) -> dict` is injected (its errors reach the caller as it raised them), and so is the clock."""

from __future__ import annotations

import threading
import time
from typing import Callable

import jwt


class MalformedKeySet(ValueError):
    """The document is not a JWKS (no `keys` list)."""


def parse(document) -> dict[str, list[tuple[str | None, jwt.PyJWK]]]:
    """kid -> [(the key's alg, parsed key)]; keys this library cannot use (no kid, unknown type) are left out."""
    listed = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(listed, list):
        raise MalformedKeySet("keys is not a list")
    keys: dict[str, list] = {}
    for jwk in listed:
        try:
            keys.setdefault(str(jwk["kid"]), []).append((jwk.get("alg"), jwt.PyJWK(jwk)))
        except (KeyError, TypeError, AttributeError, ValueError, jwt.PyJWTError):
            continue
    return keys


class JwksCache:
    def __init__(self, fetch: Callable[[str], dict], *, max_age: float | None = None,
                 min_refetch_seconds: float = 30.0, clock: Callable[[], float] = time.monotonic):
        self._fetch, self._max_age, self._min_refetch, self._clock = fetch, max_age, min_refetch_seconds, clock
        self._lock = threading.Lock()
        self._sets: dict[str, dict[str, list]] = {}  # url -> kid -> [(alg, key)]
        self._fetched_at: dict[str, float] = {}
        self._failed: dict[str, Exception] = {}  # url -> why its last fetch failed (no set kept for it)
        self.fetches = 0  # how often the network was used (tests, the benchmark)

    def _fresh(self, url: str) -> bool:
        at = self._fetched_at.get(url)
        return url in self._sets and at is not None and (self._max_age is None or self._clock() - at < self._max_age)

    def cached_key(self, url: str, kid: str, alg: str | None = None) -> jwt.PyJWK | None:
        """The key as cached now, never fetching."""
        found = None
        for key_alg, key in self._sets.get(url, {}).get(kid, ()):
            if alg is None or key_alg is None or key_alg == alg:
                found = key
        return found

    def key(self, url: str, kid: str | None, alg: str | None = None, **fetch_args) -> jwt.PyJWK | None:
        """The key `kid` of the set at `url`, or None when the set has none (after any refetch allowed).
        `fetch_args` go to this call's fetch, if it makes one (a caller's timeout)."""
        kid = kid or ""
        if self._fresh(url):
            found = self.cached_key(url, kid, alg)
            if found is not None:
                return found
        with self._lock:  # one fetch at a time; a thread that waited sees what the other fetched
            if url in self._failed and url not in self._sets and \
                    self._clock() - self._fetched_at[url] < self._min_refetch:
                raise self._failed[url]
            if not self._fresh(url):
                self._refresh(url, fetch_args)
            elif self.cached_key(url, kid, alg) is None and \
                    self._clock() - self._fetched_at[url] >= self._min_refetch:
                self._refresh(url, fetch_args)
            return self.cached_key(url, kid, alg)

    def _refresh(self, url: str, fetch_args: dict) -> None:
        self._fetched_at[url] = self._clock()  # a failed fetch counts too: no retry storm
        self.fetches += 1
        try:
            self._sets[url] = parse(self._fetch(url, **fetch_args))
        except Exception as exc:
            self._failed[url] = exc
            raise
        self._failed.pop(url, None)

    def forget(self, url: str) -> None:
        """Drop the set and its fetch time (the issuer is gone: one made again is fetched at once)."""
        with self._lock:
            self._sets.pop(url, None)
            self._fetched_at.pop(url, None)
            self._failed.pop(url, None)
