"""Cognito's own session cookie on its domain: a signed-in browser gets a code without the IdP."""

from __future__ import annotations

import jwt

from hosted_ui.settings import Settings

COOKIE = "cognito_session"


def create(cfg: Settings, pool_id: str, username: str, provider: str, auth_time: int, now: float) -> str:
    return jwt.encode({"pool": pool_id, "username": username, "idp": provider, "auth_time": auth_time,
                       "exp": int(now) + cfg.session_ttl}, cfg.secret, algorithm="HS256")


def read(cfg: Settings, value: str | None, pool_id: str) -> dict | None:
    if not value:
        return None
    try:
        claims = jwt.decode(value, cfg.secret, algorithms=["HS256"], options={"require": ["exp", "username"]})
    except jwt.PyJWTError:
        return None
    return claims if claims.get("pool") == pool_id else None


def cookie(cfg: Settings, value: str) -> tuple:
    return (COOKIE, value, {"httponly": True, "samesite": "Lax", "max_age": cfg.session_ttl, "path": "/"})
