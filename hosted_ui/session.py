"""Cognito's own session cookie on its domain: a signed-in browser gets a code without the IdP."""

from __future__ import annotations

import time

import jwt

from hosted_ui.settings import settings

COOKIE = "cognito_session"


def create(pool_id: str, username: str, provider: str, auth_time: int, now: float | None = None) -> str:
    now = time.time() if now is None else now
    return jwt.encode({"pool": pool_id, "username": username, "idp": provider, "auth_time": auth_time,
                       "exp": int(now) + settings().session_ttl}, settings().secret, algorithm="HS256")


def read(value: str | None, pool_id: str) -> dict | None:
    if not value:
        return None
    try:
        claims = jwt.decode(value, settings().secret, algorithms=["HS256"], require=["exp", "username"])
    except jwt.PyJWTError:
        return None
    return claims if claims.get("pool") == pool_id else None


def cookie(value: str) -> tuple:
    return (COOKIE, value, {"httponly": True, "samesite": "Lax", "max_age": settings().session_ttl, "path": "/"})
