"""Authorization codes: single use (popped on read), 5 minutes, bound to everything the request said."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class Grant:
    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    nonce: str | None
    code_challenge: str | None
    username: str
    auth_time: int
    expires_at: float
    flow: str
    overrides: object = None  # PreTokenGeneration's answer at sign-in (token_overrides.Overrides), if any


class CodeStore:
    def __init__(self):
        self._lock = threading.Lock()
        self._codes: dict[str, Grant] = {}

    def issue(self, grant: Grant, now: float) -> str:
        code = str(uuid.uuid4())  # Cognito's codes are UUIDs
        with self._lock:
            for old, g in list(self._codes.items()):
                if g.expires_at < now:
                    del self._codes[old]
            self._codes[code] = grant
        return code

    def pop(self, code: str, now: float) -> Grant | None:
        """The code's grant, once; None if unknown, used or expired."""
        with self._lock:
            grant = self._codes.pop(code, None)
        return grant if grant is not None and grant.expires_at >= now else None

