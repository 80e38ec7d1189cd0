"""The mock Okta's settings: a frozen dataclass read from the environment once (names prefixed OKTA_)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sandbox.config import env
from sandbox.config import settings as sandbox_settings


@dataclass(frozen=True)
class Settings:
    issuer: str
    # Okta's org URL (the issuer's origin): the Users API and the sign-in page live here.
    org_url: str
    api_token: str
    # Okta: the authorization code lives 300 s (facts.md); tokens 1 hour by default.
    code_ttl: int
    access_token_ttl: int
    id_token_ttl: int
    refresh_token_ttl: int
    session_ttl: int
    # How long a sign-in page (a pending authorize request) stays usable.
    transaction_ttl: int
    # A rotated-out public key stays in /v1/keys this long, for verifiers that cache the JWKS.
    key_grace_seconds: int
    # Real Okta requires `nonce` only for implicit/hybrid flows; the sandbox requires it by default
    # (facts.md: "state and nonce required") so that clients that forget it are caught. Set false for Okta's rule.
    require_nonce: bool
    # Access tokens' `aud` on the default authorization server.
    audience: str
    # The `idp` claim: the org's id when the user signed in with Okta itself.
    org_id: str
    key_dir: Path


def _bool(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


@lru_cache(maxsize=1)
def settings() -> Settings:
    s = sandbox_settings()
    return Settings(
        issuer=s.okta_issuer,
        org_url=s.okta_public_url,
        api_token=env("OKTA_API_TOKEN", "sandbox-okta-api-token"),
        code_ttl=int(env("OKTA_CODE_TTL_SECONDS", "300")),
        access_token_ttl=int(env("OKTA_ACCESS_TOKEN_TTL_SECONDS", "3600")),
        id_token_ttl=int(env("OKTA_ID_TOKEN_TTL_SECONDS", "3600")),
        refresh_token_ttl=int(env("OKTA_REFRESH_TOKEN_TTL_SECONDS", str(90 * 24 * 3600))),
        session_ttl=int(env("OKTA_SESSION_TTL_SECONDS", "7200")),
        transaction_ttl=int(env("OKTA_SIGNIN_PAGE_TTL_SECONDS", "600")),
        key_grace_seconds=int(env("OKTA_KEY_GRACE_SECONDS", "3600")),
        require_nonce=_bool(env("OKTA_REQUIRE_NONCE", "true")),
        audience=env("OKTA_AUDIENCE", "api://default"),
        org_id=env("OKTA_ORG_ID", "00o1sandbox0okta0x7"),
        key_dir=Path(env("OKTA_KEY_DIR", str(s.state_dir / "okta"))),
    )
