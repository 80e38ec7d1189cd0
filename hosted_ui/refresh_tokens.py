"""Refresh tokens (opaque, as Cognito's are to clients) and revocation by origin_jti.

Bounded in memory: an expired refresh token is dropped, and a revocation is kept only as long as an
access token minted before it can live (a day at most: Cognito's longest access-token validity,
app-client docs), so neither store grows with time. The sweep runs at most once per SWEEP_SECONDS."""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

from hosted_ui.tokens import Authentication

MAX_ACCESS_TOKEN_SECONDS = 86400
SWEEP_SECONDS = 60.0


@dataclass(frozen=True)
class RefreshGrant:
    authentication: Authentication
    expires_at: float


class RefreshStore:
    def __init__(self):
        self._lock = threading.Lock()
        self._tokens: dict[str, RefreshGrant] = {}
        self._revoked: dict[str, float] = {}  # origin_jti of a revoked refresh token -> when to forget it
        self._swept_at = float("-inf")

    def _sweep(self, now: float) -> None:
        """Drop expired tokens and revocations that no live access token can need (lock held)."""
        if now - self._swept_at < SWEEP_SECONDS:
            return
        self._swept_at = now
        for token in [t for t, g in self._tokens.items() if g.expires_at < now]:
            del self._tokens[token]
        for jti in [j for j, until in self._revoked.items() if until < now]:
            del self._revoked[jti]

    def sizes(self) -> tuple[int, int]:
        """(refresh tokens, revocations) held now."""
        with self._lock:
            return len(self._tokens), len(self._revoked)

    def issue(self, authentication: Authentication, lifetime: int, now: float) -> str:
        token = secrets.token_urlsafe(96)
        with self._lock:
            self._sweep(now)
            self._tokens[token] = RefreshGrant(authentication, now + lifetime)
        return token

    def get(self, token: str, now: float) -> RefreshGrant | None:
        with self._lock:
            grant = self._tokens.get(token)
            if grant is not None and grant.expires_at < now:
                del self._tokens[token]
                grant = None
        if grant is None or grant.authentication.origin_jti in self._revoked:
            return None
        return grant

    def revoke(self, token: str, now: float | None = None) -> RefreshGrant | None:
        now = time.time() if now is None else now
        with self._lock:
            self._sweep(now)
            grant = self._tokens.pop(token, None)
            if grant is not None:
                self._revoked[grant.authentication.origin_jti] = now + MAX_ACCESS_TOKEN_SECONDS
        return grant

    def revoked(self, origin_jti: str | None) -> bool:
        return bool(origin_jti) and origin_jti in self._revoked

