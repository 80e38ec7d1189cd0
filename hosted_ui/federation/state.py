"""The state Cognito sends to the IdP: the original authorize request, Cognito's own nonce and the
flow id, signed (HS256) so it comes back untampered, bound to the browser, and usable once."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
import uuid

import jwt

from hosted_ui.errors import ErrorPage
from hosted_ui.settings import settings

BINDING_COOKIE = "cognito_federation"
_used: dict[str, float] = {}
_lock = threading.Lock()


def _binding_hash(binding: str) -> str:
    return hashlib.sha256(binding.encode()).hexdigest()


def seal(authorize_params: dict, provider: str, flow: str, binding: str, now: float | None = None) -> tuple[str, str]:
    """(state, nonce) for the redirect to the IdP."""
    now = time.time() if now is None else now
    nonce = secrets.token_urlsafe(32)
    claims = {"req": authorize_params, "idp": provider, "flow": flow, "nonce": nonce,
              "bind": _binding_hash(binding), "jti": str(uuid.uuid4()), "iat": int(now),
              "exp": int(now) + settings().federation_ttl}
    return jwt.encode(claims, settings().secret, algorithm="HS256"), nonce


def new_binding(existing: str | None) -> str:
    return existing or secrets.token_urlsafe(24)


def unseal(state: str | None, binding: str | None, now: float | None = None) -> dict:
    """The sealed claims, used up; a forged, expired, replayed or other browser's state is refused."""
    now = time.time() if now is None else now
    claims = verify(state, binding, now)
    consume(claims, now)
    return claims


def verify(state: str | None, binding: str | None, now: float | None = None) -> dict:
    """The sealed claims, not yet used up (consume() does that): a forged, expired, already used or
    other browser's state is refused."""
    now = time.time() if now is None else now
    if not state:
        raise ErrorPage("invalid_state")
    try:
        claims = jwt.decode(state, settings().secret, algorithms=["HS256"], options={"verify_exp": False},
                            require=["exp", "jti", "req", "nonce", "bind"])
    except jwt.PyJWTError:
        raise ErrorPage("invalid_state") from None
    if claims["exp"] < now:
        raise ErrorPage("invalid_state")
    if not binding or not hmac.compare_digest(claims["bind"], _binding_hash(binding)):
        raise ErrorPage("invalid_state")
    if claims["jti"] in _used:
        raise ErrorPage("invalid_state")
    return claims


def consume(claims: dict, now: float | None = None) -> None:
    """Use the state up: a second use (or a racing one) is refused."""
    now = time.time() if now is None else now
    with _lock:
        for jti, expires in list(_used.items()):
            if expires < now:
                del _used[jti]
        if claims["jti"] in _used:
            raise ErrorPage("invalid_state")
        _used[claims["jti"]] = claims["exp"]
