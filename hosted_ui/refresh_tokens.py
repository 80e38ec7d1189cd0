"""Refresh tokens (opaque, as Cognito's are to clients), bounded in memory: an expired one is dropped (the
sweep runs at most once per SWEEP_SECONDS). What is revoked is not kept here but in the AWS endpoint's one
record (aws_endpoint/cognito/revocations.py, asked through hosted_ui/revocation.py): revoking pops the token
here and records its session there.

Shaped as Cognito's: a JWE compact serialization, five base64url parts (header, encrypted key, IV,
ciphertext, tag), header {"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"} (public fixtures of real
refresh tokens); here every part but the header is random, so the token means nothing but its entry here.

An entry is kept under the token's SHA-256, and its authentication with the client's id alone (the refresh
grant uses the client as it is now): ~150 bytes instead of ~3.5 KB, which the hosted UI's durable state
pickles again each second it changed."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, replace

from hosted_ui.tokens import Authentication

SWEEP_SECONDS = 60.0
_JWE_HEADER = base64.urlsafe_b64encode(json.dumps({"cty": "JWT", "enc": "A256GCM", "alg": "RSA-OAEP"},
                                                  separators=(",", ":")).encode()).rstrip(b"=").decode()


def _key(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def _kept(authentication: Authentication) -> Authentication:
    """What an entry keeps of a sign-in: the client by its id alone."""
    return replace(authentication, client={"ClientId": authentication.client["ClientId"]})


def new_token() -> str:
    """Header, then a 256-byte encrypted key, 12-byte IV, ciphertext and 16-byte tag (A256GCM's sizes)."""
    parts = [secrets.token_urlsafe(n) for n in (256, 12, 1024, 16)]
    return ".".join([_JWE_HEADER, *parts])


@dataclass(frozen=True)
class RefreshGrant:
    authentication: Authentication
    expires_at: float
    issued_at: float  # a global sign-out refuses refresh tokens issued until then (hosted_ui/revocation.py)


class RefreshStore:
    def __init__(self):
        self._lock = threading.Lock()
        self._tokens: dict[bytes, RefreshGrant] = {}  # the token's SHA-256 -> its grant
        self._swept_at = float("-inf")

    def _sweep(self, now: float) -> None:
        """Drop expired tokens (lock held)."""
        if now - self._swept_at < SWEEP_SECONDS:
            return
        self._swept_at = now
        for token in [t for t, g in self._tokens.items() if g.expires_at < now]:
            del self._tokens[token]

    def adopt_saved(self) -> None:
        """Entries a snapshot from before the tokens were kept by SHA-256 holds under the token itself (and
        with the whole client): kept as they would be now, so a refresh token issued then still works."""
        with self._lock:
            for token in [t for t in self._tokens if isinstance(t, str)]:
                grant = self._tokens.pop(token)
                self._tokens[_key(token)] = replace(grant, authentication=_kept(grant.authentication))

    def size(self) -> int:
        """Refresh tokens held now."""
        with self._lock:
            return len(self._tokens)

    def issue(self, authentication: Authentication, lifetime: int, now: float) -> str:
        token = new_token()
        with self._lock:
            self._sweep(now)
            self._tokens[_key(token)] = RefreshGrant(_kept(authentication), now + lifetime, now)
        return token

    def get(self, token: str, now: float) -> RefreshGrant | None:
        """The token's grant; its authentication names the client by id alone (`client["ClientId"]`)."""
        key = _key(token)
        with self._lock:
            grant = self._tokens.get(key)
            if grant is not None and grant.expires_at < now:
                del self._tokens[key]
                grant = None
        return grant

    def rotate(self, token: str, lifetime: int, grace: int, now: float) -> str:
        """Refresh-token rotation: a new token for the same authentication; the old one stays valid for
        `grace` seconds ("can remain valid for a period of time of up to 60 seconds. This allows for
        client-side retries. When RetryGracePeriodSeconds is 0 ... immediately invalidates the submitted
        refresh token", RefreshTokenRotationType)."""
        key = _key(token)
        with self._lock:
            old = self._tokens.get(key)
            if old is not None:
                if grace > 0:
                    self._tokens[key] = RefreshGrant(old.authentication, min(old.expires_at, now + grace),
                                                     old.issued_at)
                else:
                    del self._tokens[key]
        return self.issue(old.authentication, lifetime, now) if old is not None else ""

    def revoke(self, token: str, now: float | None = None) -> RefreshGrant | None:
        now = time.time() if now is None else now
        with self._lock:
            self._sweep(now)
            return self._tokens.pop(_key(token), None)

