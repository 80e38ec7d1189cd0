"""The provider: settings, keys, state and scenarios, built once per app and handed to every step."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Callable

from mock_idp import tokens
from mock_idp.keys import KeyStore
from mock_idp.models import Client, Directory, Grant, RefreshToken, State, User
from mock_idp.scenarios import Scenarios
from mock_idp.settings import Settings


@dataclass
class Provider:
    cfg: Settings
    keys: KeyStore
    state: State
    scenarios: Scenarios = field(default_factory=Scenarios)
    clock: Callable[[], float] = time.time
    paths: dict[str, str] = field(default_factory=dict)  # view name → path, for links in pages
    durable: object = None  # sandbox.state.Durable when the state is kept across restarts (persistence.py)

    @classmethod
    def build(cls, cfg: Settings, seed: dict, clock: Callable[[], float] = time.time) -> "Provider":
        now = clock()
        return cls(cfg, KeyStore(cfg.key_dir, cfg.key_grace_seconds, now), State(Directory(seed, now)),
                   clock=clock)

    def issue_code(self, grant: Grant, now: float) -> str:
        # 256 random bits; Okta's codes are opaque URL-safe strings of about this length.
        return self.state.codes.put(secrets.token_urlsafe(32), grant, now)

    def issue_tokens(self, user: User, client: Client, scopes: tuple[str, ...], auth_time: int,
                     nonce: str | None, now: float, refresh_token: str | None = None) -> dict:
        """The token response (RFC 6749 §5.1): access and ID tokens, a refresh token with offline_access."""
        access = tokens.access_token(user, client.client_id, scopes, auth_time, self.cfg, self.keys, now)
        body = {"token_type": "Bearer", "expires_in": self.cfg.access_token_ttl, "access_token": access,
                "scope": " ".join(scopes)}
        if "offline_access" in scopes and "refresh_token" in client.grant_types:
            if refresh_token is None:
                refresh_token = self.state.refresh_tokens.put(secrets.token_urlsafe(32), RefreshToken(
                    client.client_id, user.id, scopes, auth_time, now + self.cfg.refresh_token_ttl, now), now)
            body["refresh_token"] = refresh_token
        if "openid" in scopes:
            body["id_token"] = tokens.id_token(user, client.client_id, scopes, auth_time, nonce, access,
                                               self.cfg, self.keys, now)
        return body
