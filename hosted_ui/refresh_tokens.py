"""Refresh tokens (opaque, as Cognito's are to clients) and revocation by origin_jti."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass

from hosted_ui.tokens import Session


@dataclass(frozen=True)
class RefreshGrant:
    session: Session
    expires_at: float


class RefreshStore:
    def __init__(self):
        self._lock = threading.Lock()
        self._tokens: dict[str, RefreshGrant] = {}
        self._revoked: set[str] = set()  # origin_jti of revoked refresh tokens

    def issue(self, session: Session, lifetime: int, now: float) -> str:
        token = secrets.token_urlsafe(96)
        with self._lock:
            self._tokens[token] = RefreshGrant(session, now + lifetime)
        return token

    def get(self, token: str, now: float) -> RefreshGrant | None:
        with self._lock:
            grant = self._tokens.get(token)
        if grant is None or grant.expires_at < now or grant.session.origin_jti in self._revoked:
            return None
        return grant

    def revoke(self, token: str) -> RefreshGrant | None:
        with self._lock:
            grant = self._tokens.pop(token, None)
            if grant is not None:
                self._revoked.add(grant.session.origin_jti)
        return grant

    def revoked(self, origin_jti: str | None) -> bool:
        return bool(origin_jti) and origin_jti in self._revoked


REFRESH = RefreshStore()
