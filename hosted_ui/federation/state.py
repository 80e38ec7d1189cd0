"""The state Cognito sends to the IdP: the original authorize request, Cognito's own nonce and the
flow id, signed (HS256) so it comes back untampered, bound to the browser, and usable once."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import uuid

import jwt

from hosted_ui.errors import ErrorPage
from hosted_ui.settings import Settings

BINDING_COOKIE = "cognito_federation"


def _binding_hash(binding: str) -> str:
    return hashlib.sha256(binding.encode()).hexdigest()


def new_binding(existing: str | None) -> str:
    return existing or secrets.token_urlsafe(24)


class FederationStates:
    """One hosted UI's states: sealed with its secret; the used ones remembered until they expire."""

    def __init__(self, cfg: Settings):
        self._cfg = cfg
        self._used: dict[str, float] = {}  # jti -> when it expires
        self._lock = threading.Lock()

    def seal(self, authorize_params: dict, provider: str, flow: str, binding: str, now: float) -> tuple[str, str]:
        """(state, nonce) for the redirect to the IdP."""
        # 171 base64url characters (128 random bytes), as Cognito's own nonces in captures (next-auth#3403,
        # the Auth0 community's Cognito report): an app that keeps nonces in a small cookie meets it here too.
        nonce = secrets.token_urlsafe(128)
        claims = {"req": authorize_params, "idp": provider, "flow": flow, "nonce": nonce,
                  "bind": _binding_hash(binding), "jti": str(uuid.uuid4()), "iat": int(now),
                  "exp": int(now) + self._cfg.federation_ttl}
        return jwt.encode(claims, self._cfg.secret, algorithm="HS256"), nonce

    def verify(self, state: str | None, binding: str | None, now: float) -> dict:
        """The sealed claims, not yet used up (consume() does that): a forged, expired, already used or
        other browser's state is refused."""
        if not state:
            raise ErrorPage("invalid_state")
        try:
            claims = jwt.decode(state, self._cfg.secret, algorithms=["HS256"], options={
                "verify_exp": False, "require": ["exp", "jti", "req", "nonce", "bind"]})
        except jwt.PyJWTError:
            raise ErrorPage("invalid_state") from None
        if claims["exp"] < now:
            raise ErrorPage("invalid_state")
        if not binding or not hmac.compare_digest(claims["bind"], _binding_hash(binding)):
            raise ErrorPage("invalid_state")
        if claims["jti"] in self._used:
            raise ErrorPage("invalid_state")
        return claims

    def consume(self, claims: dict, now: float) -> None:
        """Use the state up: a second use (or a racing one) is refused."""
        with self._lock:
            for jti, expires in list(self._used.items()):
                if expires < now:
                    del self._used[jti]
            if claims["jti"] in self._used:
                raise ErrorPage("invalid_state")
            self._used[claims["jti"]] = claims["exp"]
