"""Server-to-server calls to the IdP: through the back-channel map, with Cognito's timeout."""

from __future__ import annotations

import requests

from hosted_ui.settings import settings
from sandbox import flowlog
from sandbox.config import settings as sandbox_settings

SESSION = requests.Session()


def call(method: str, url: str, flow: str | None = None, **kwargs) -> requests.Response:
    """Raises requests' Timeout/ConnectionError; the caller maps them to Cognito's descriptions."""
    headers = {**kwargs.pop("headers", {}), **({flowlog.HEADER: flow} if flow else {})}
    return SESSION.request(method, sandbox_settings().backchannel(url), headers=headers,
                           timeout=settings().idp_timeout, **kwargs)
