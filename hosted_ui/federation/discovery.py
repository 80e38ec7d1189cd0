"""The IdP's endpoints (ProviderDetails, or discovery from oidc_issuer) and its JWKS, cached briefly."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Callable

import jwt
import requests

from hosted_ui.errors import InvalidRequest, ServerError
from hosted_ui.federation.http import IdpHttp
from hosted_ui.settings import Settings
from sandbox.jwks import JwksCache, MalformedKeySet


@dataclass(frozen=True)
class IdpEndpoints:
    issuer: str
    authorize_url: str
    token_url: str
    userinfo_url: str
    jwks_uri: str


class IdpDirectory:
    """One hosted UI's view of its IdPs: their discovery documents and key sets, each kept
    `idp_cache_ttl` seconds, and the HTTP session it reaches them with."""

    def __init__(self, cfg: Settings, http: IdpHttp, monotonic: Callable[[], float] = time.monotonic):
        self._cfg, self.http, self._monotonic = cfg, http, monotonic
        self._lock = threading.Lock()
        self._documents: dict[str, tuple[float, dict]] = {}
        # Kept idp_cache_ttl seconds; an unknown kid refetches at once (no interval), as Cognito looks again.
        self._jwks = JwksCache(self._fetch_jwks, max_age=cfg.idp_cache_ttl, min_refetch_seconds=0.0,
                               clock=monotonic)

    def _discovery(self, issuer: str) -> dict:
        now = self._monotonic()
        cached = self._documents.get(issuer)
        if cached and now - cached[0] < self._cfg.idp_cache_ttl:
            return cached[1]
        try:
            response = self.http.call("GET", issuer.rstrip("/") + "/.well-known/openid-configuration")
            response.raise_for_status()
            document = response.json()
        except requests.Timeout:
            raise InvalidRequest("Read timed out") from None
        except (requests.RequestException, ValueError):
            raise ServerError("Unable to get the IdP's OpenID configuration") from None  # unconfirmed wording
        with self._lock:
            self._documents[issuer] = (now, document)
        return document

    def endpoints(self, details: dict) -> IdpEndpoints:
        """Explicit ProviderDetails URLs win; the rest come from `oidc_issuer` discovery."""
        issuer = details.get("oidc_issuer", "")
        explicit = {k: details.get(k) for k in ("authorize_url", "token_url", "attributes_url", "jwks_uri")}
        document = self._discovery(issuer) if not all(explicit.values()) else {}
        return IdpEndpoints(
            issuer=issuer or document.get("issuer", ""),
            authorize_url=explicit["authorize_url"] or document.get("authorization_endpoint", ""),
            token_url=explicit["token_url"] or document.get("token_endpoint", ""),
            userinfo_url=explicit["attributes_url"] or document.get("userinfo_endpoint", ""),
            jwks_uri=explicit["jwks_uri"] or document.get("jwks_uri", ""),
        )

    def _fetch_jwks(self, uri: str, flow: str | None = None) -> dict:
        try:
            response = self.http.call("GET", uri, flow)
            response.raise_for_status()
            return response.json()
        except requests.Timeout:
            raise InvalidRequest("Timeout in calling jwks uri") from None
        except (requests.RequestException, ValueError):
            raise InvalidRequest("Error in calling jwks uri") from None  # unconfirmed wording

    def signing_key(self, uri: str, kid: str | None, flow: str | None = None) -> jwt.PyJWK | None:
        """The IdP's key `kid`; an unknown kid refetches the JWKS (the IdP may have rotated)."""
        try:
            return self._jwks.key(uri, kid, flow=flow)  # a fetch carries the sign-in's flow id
        except MalformedKeySet:
            raise InvalidRequest("Error in calling jwks uri") from None
