"""What Cognito has revoked that a token cannot show: sessions ended by /oauth2/revoke and users signed
out by GlobalSignOut or AdminUserGlobalSignOut. The one record of it: the hosted UI asks here (internal
token-status call) at refresh and userInfo, and the Cognito API's token operations read it in-process.

What each revokes (Cognito API reference, GlobalSignOut and AdminUserGlobalSignOut): "Amazon Cognito no
longer accepts a signed-out user's refresh tokens in refresh requests", and user-pool API calls with a
signed-out user's access tokens answer "Access Token has been revoked"; "Other requests might be valid
until your user's token expires". Token revocation (developer guide, "Revoking tokens"): revoking a refresh
token makes invalid every access token that refresh token issued; "revoked tokens will still be valid if
they are verified using any JWT library that verifies the signature and expiration of the token".

A session is one authentication: its refresh token and every access token minted from it share one
`origin_jti`. Sessions are registered when their tokens are signed (sign-tokens), so a global sign-out
revokes the user's live sessions by origin_jti, precisely (a sign-in in the same second after it is not
caught). A session older than its access tokens is no longer registered; its refresh token is refused by
comparing when it was issued with when the user signed out (`refresh_revoked`).

Bounded: a session is kept until the last access token signed for it expires (a day at most, Cognito's
longest access-token validity), a revocation as long; sign-out times one per user."""

from __future__ import annotations

import threading
import time

SWEEP_SECONDS = 60.0


class Revocations:
    def __init__(self):
        self._lock = threading.Lock()
        self._sessions: dict[str, tuple[str, str, float]] = {}  # origin_jti -> (pool, user key, until)
        self._revoked: dict[str, float] = {}  # origin_jti -> until
        self._signed_out: dict[tuple[str, str], float] = {}  # (pool, user key) -> when
        self._swept_at = float("-inf")
        self.changes = 0  # moves with every change, so a snapshot (aws_endpoint/persistence.py) skips an unchanged store

    @staticmethod
    def _user(username: str) -> str:
        # One user whatever the case asked: a user name differs only in case in a case-insensitive pool,
        # and a case-sensitive pool cannot hold two names that differ only in case and share one session.
        return username.lower()

    def _sweep(self, now: float) -> None:
        if now - self._swept_at < SWEEP_SECONDS:
            return
        self._swept_at = now
        for jti in [j for j, (_, _, until) in self._sessions.items() if until < now]:
            del self._sessions[jti]
            self.changes += 1
        for jti in [j for j, until in self._revoked.items() if until < now]:
            del self._revoked[jti]
            self.changes += 1

    def register(self, pool_id: str, claims: dict, now: float | None = None) -> None:
        """An access token was signed: remember its session until the token expires."""
        jti, username, exp = claims.get("origin_jti"), claims.get("username"), claims.get("exp")
        if not (isinstance(jti, str) and isinstance(username, str) and isinstance(exp, (int, float))):
            return
        now = time.time() if now is None else now
        with self._lock:
            self._sweep(now)
            _, _, until = self._sessions.get(jti, ("", "", 0.0))
            self._sessions[jti] = (pool_id, self._user(username), max(until, float(exp)))
            self.changes += 1

    def revoke_session(self, origin_jti: str, now: float | None = None) -> None:
        """/oauth2/revoke: the refresh token and every access token of its session."""
        now = time.time() if now is None else now
        with self._lock:
            self._sweep(now)
            _, _, until = self._sessions.get(origin_jti, ("", "", now + 86400))
            self._revoked[origin_jti] = max(until, now)
            self.changes += 1

    def sign_out(self, pool_id: str, username: str, now: float | None = None) -> None:
        """A global sign-out: every live session of the user, and refresh tokens issued until now."""
        now = time.time() if now is None else now
        user = self._user(username)
        with self._lock:
            self._sweep(now)
            self._signed_out[(pool_id, user)] = now
            self.changes += 1
            for jti, (pool, who, until) in self._sessions.items():
                if pool == pool_id and who == user:
                    self._revoked[jti] = until

    def session_revoked(self, origin_jti: str | None) -> bool:
        return bool(origin_jti) and origin_jti in self._revoked

    def refresh_revoked(self, pool_id: str, username: str, origin_jti: str | None, issued_at: float) -> bool:
        """A refresh token issued at `issued_at`: revoked itself, or its user signed out since."""
        signed_out = self._signed_out.get((pool_id, self._user(username)))
        return self.session_revoked(origin_jti) or (signed_out is not None and issued_at <= signed_out)


REVOCATIONS = Revocations()
