"""The hosted UI's settings: a frozen dataclass read from the environment once (names prefixed COGNITO_)."""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass
from functools import lru_cache

from sandbox import state
from sandbox.aws_urls import HOSTED_UI_PATHS, cognito_issuer_base
from sandbox.config import env
from sandbox.config import settings as sandbox_settings


@dataclass(frozen=True)
class Settings:
    url: str  # the domain's public URL, e.g. http://localhost:9229
    domain: str  # the user pool domain prefix; the hosted UI serves that domain's pool
    # How long the domain's pool id is remembered (0: asked on every request). Real Cognito takes up to a
    # minute for a prefix domain to take effect (CreateUserPoolDomain/UpdateUserPoolDomain API reference).
    domain_cache_ttl: float
    # Keep pool reads across requests while the AWS endpoint's change counters stay (hosted_ui/live.py);
    # only against the sandbox's own endpoint (real AWS has no counters): COGNITO_KEEP_READS=0 reads live.
    keep_reads: bool
    aws_public_url: str  # the cognito-idp endpoint, whose /<poolId> is the issuer (sandbox/aws_urls.py)
    aws_backchannel_url: str  # where this server reaches the AWS endpoint
    aws_region: str  # the pool's region, in trigger events
    # Cognito: authorization codes are single use and valid 5 minutes (authorization-endpoint docs).
    code_ttl: int
    # Cognito waits 5 seconds for a trigger (Lambda trigger docs).
    trigger_timeout: float
    # How long Cognito waits for the IdP's token, userinfo and JWKS endpoints (unconfirmed; 5 s).
    idp_timeout: float
    idp_cache_ttl: float  # the IdP's discovery document and JWKS
    # The IdP calls' proxies and CA bundle from the environment, read once, as requests would read them on
    # every call (trust_env), which showed in the profile: trust_env stays on only when a proxy is set (its
    # NO_PROXY rules apply per URL); the CA bundle (REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE) is kept here.
    idp_trust_env: bool
    idp_ca_bundle: str
    federation_ttl: int  # how long a redirect to the IdP may take to come back
    # Cognito's hosted-UI session cookie lasts 1 hour (user-pools-app-integration docs).
    session_ttl: int
    secret: bytes  # HMAC key of the state sent to the IdP and of the session cookie

    def page(self, name: str) -> str:
        """The URL of one of the domain's endpoints, by its name in HOSTED_UI_PATHS."""
        return self.url + HOSTED_UI_PATHS[name]

    def idp_response_url(self) -> str:
        return self.page("idpresponse")


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The settings from the environment (create_app's default; a test may build its own Settings)."""
    s = sandbox_settings()
    return Settings(
        url=env("COGNITO_HOSTED_UI_URL", s.cognito_hosted_ui_url).rstrip("/"),
        domain=s.cognito_domain,
        domain_cache_ttl=float(env("COGNITO_DOMAIN_CACHE_SECONDS", "60")),
        keep_reads=s.local_aws and env("COGNITO_KEEP_READS", "1") != "0",
        aws_public_url=cognito_issuer_base(s),
        aws_backchannel_url=s.backchannel(s.aws_endpoint_url),
        aws_region=s.aws_region,
        code_ttl=int(env("COGNITO_CODE_TTL_SECONDS", "300")),
        trigger_timeout=float(env("COGNITO_TRIGGER_TIMEOUT_SECONDS", "5")),
        idp_timeout=float(env("COGNITO_IDP_TIMEOUT_SECONDS", "5")),
        idp_cache_ttl=float(env("COGNITO_IDP_CACHE_SECONDS", "60")),
        idp_trust_env=bool(urllib.request.getproxies()),
        idp_ca_bundle=env("REQUESTS_CA_BUNDLE", "") or env("CURL_CA_BUNDLE", ""),
        federation_ttl=int(env("COGNITO_FEDERATION_TTL_SECONDS", "900")),
        session_ttl=int(env("COGNITO_SESSION_TTL_SECONDS", "3600")),
        # Kept across restarts, so a signed-in browser's session and a sign-in under way survive one.
        secret=env("COGNITO_STATE_SECRET", "").encode() or state.secret("hosted-ui"),
    )
