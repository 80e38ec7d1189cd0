"""The sandbox's shared settings, read from the environment once, with sandbox defaults.

Each party's own settings live beside it (mock_idp/settings.py, hosted_ui/settings.py,
demo_site/settings.py); this module holds what several parties need: where each one is, and where AWS is.
Pointing these at real Okta and real AWS must work with no code change.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
SEED_FILE = Path(__file__).resolve().parent / "seed.json"


def env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def local_url(port: int) -> str:
    """A sandbox default URL. SANDBOX_PORT_OFFSET moves every default port at once (two sandboxes side by side)."""
    return f"http://localhost:{port + int(os.environ.get('SANDBOX_PORT_OFFSET', '0'))}"


def port_of(url: str) -> int:
    parts = urlsplit(url)
    return parts.port or (443 if parts.scheme == "https" else 80)


@dataclass(frozen=True)
class Settings:
    # AWS. An empty AWS_ENDPOINT_URL means real AWS (boto3's own endpoint resolution and credentials).
    aws_endpoint_url: str
    aws_region: str
    # Public (front-channel) URLs: what a browser uses. Issuers are built from these.
    aws_public_url: str
    okta_public_url: str
    okta_issuer: str
    cognito_hosted_ui_url: str
    demo_site_url: str
    # Interface the sandbox's servers bind to.
    bind_host: str
    # Back-channel rewrites for server-to-server calls, "front=back,front=back"
    # (compose: "http://localhost:9000=http://okta:9000"). Issuers stay the front-channel URL.
    backchannel_map: tuple[tuple[str, str], ...]
    state_dir: Path
    # The user pool domain prefix: the hosted UI serves its pool; provisioning creates it.
    cognito_domain: str
    # Where parties post their flow events (empty: nothing is recorded, e.g. against real AWS).
    flow_url: str
    # Web origins the AWS endpoint lets in besides its own exceptions (aws_endpoint/app.py).
    aws_allowed_origins: frozenset[str]
    # Whether the parties keep what users made in state_dir across restarts (sandbox/state.py).
    persist: bool

    @property
    def local_aws(self) -> bool:
        return bool(self.aws_endpoint_url)

    def backchannel(self, url: str) -> str:
        """Rewrite a front-channel URL to the address a server reaches it at."""
        return _rewrite(self.backchannel_map, url)

    def frontchannel(self, text: str) -> str:
        """Every back-channel address in `text` as the browser's (front-channel) one: for pages people read,
        where a link like http://aws:4566/... cannot be opened."""
        for front, back in self.backchannel_map:
            if back != front:
                text = text.replace(back, front)
        return text


def _rewrite(backchannel_map: tuple[tuple[str, str], ...], url: str) -> str:
    for front, back in backchannel_map:
        if url.startswith(front):
            return back + url[len(front):]
    return url


def _parse_map(raw: str) -> tuple[tuple[str, str], ...]:
    pairs = [item.split("=", 1) for item in raw.split(",") if "=" in item]
    return tuple((front.strip().rstrip("/"), back.strip().rstrip("/")) for front, back in pairs)


@lru_cache(maxsize=1)
def settings() -> Settings:
    okta_public = env("OKTA_PUBLIC_URL", local_url(9000)).rstrip("/")
    aws_endpoint = env("AWS_ENDPOINT_URL", local_url(4566)).rstrip("/")
    backchannel_map = _parse_map(env("SANDBOX_BACKCHANNEL_MAP", ""))
    flow_default = _rewrite(backchannel_map, aws_endpoint) + "/_sandbox/flow" if aws_endpoint else ""
    return Settings(
        aws_endpoint_url=aws_endpoint,
        aws_region=env("AWS_REGION", env("AWS_DEFAULT_REGION", "us-east-1")),
        aws_public_url=env("AWS_PUBLIC_URL", aws_endpoint or local_url(4566)).rstrip("/"),
        okta_public_url=okta_public,
        okta_issuer=env("OKTA_ISSUER", okta_public + "/oauth2/default").rstrip("/"),
        cognito_hosted_ui_url=env("COGNITO_HOSTED_UI_URL", local_url(9229)).rstrip("/"),
        demo_site_url=env("DEMO_SITE_URL", local_url(8000)).rstrip("/"),
        bind_host=env("SANDBOX_BIND_HOST", "127.0.0.1"),
        backchannel_map=backchannel_map,
        state_dir=Path(env("SANDBOX_STATE_DIR", str(ROOT / ".sandbox"))),
        cognito_domain=env("COGNITO_DOMAIN", json.loads(SEED_FILE.read_text())["cognito"]["domain"]),
        flow_url=env("SANDBOX_FLOW_URL", flow_default).rstrip("/"),
        aws_allowed_origins=frozenset(o.strip().rstrip("/") for o in env("AWS_ALLOWED_ORIGINS", "").split(",")
                                      if o.strip()),
        persist=env("SANDBOX_PERSIST", "1").lower() not in ("0", "false", "no", "off"),
    )


def apply_local_aws_defaults() -> None:
    """Give boto3 the sandbox's dummy credentials and region when AWS is the local endpoint."""
    s = settings()
    if not s.local_aws:
        return
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
    os.environ.setdefault("AWS_DEFAULT_REGION", s.aws_region)
    # Stable local ids from run to run (moto: hash of the pool's/client's configuration).
    os.environ.setdefault("MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY", "HASH")
    os.environ.setdefault("MOTO_COGNITO_IDP_USER_POOL_CLIENT_ID_STRATEGY", "HASH")


@lru_cache(maxsize=1)
def seed() -> dict:
    """The one seed file: Okta users and clients, and the AWS resources' names. URLs are filled in."""
    s = settings()
    text = SEED_FILE.read_text()
    for key, value in {
        "{okta_issuer}": s.okta_issuer,
        "{cognito_hosted_ui_url}": s.cognito_hosted_ui_url,
        "{demo_site_url}": s.demo_site_url,
    }.items():
        text = text.replace(key, value)
    return json.loads(text)
