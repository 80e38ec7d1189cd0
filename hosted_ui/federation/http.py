"""Server-to-server calls to the IdP: through the back-channel map, with Cognito's timeout."""

from __future__ import annotations

import requests

from hosted_ui.settings import Settings
from sandbox import flowlog
from sandbox.config import settings as sandbox_settings


class IdpHttp:
    def __init__(self, cfg: Settings):
        self._cfg = cfg
        self._session = requests.Session()
        self._session.trust_env = cfg.idp_trust_env
        if cfg.idp_ca_bundle:
            self._session.verify = cfg.idp_ca_bundle

    def call(self, method: str, url: str, flow: str | None = None, **kwargs) -> requests.Response:
        """Raises requests' Timeout/ConnectionError; the caller maps them to Cognito's descriptions."""
        headers = {**kwargs.pop("headers", {}), **({flowlog.HEADER: flow} if flow else {})}
        return self._session.request(method, sandbox_settings().backchannel(url), headers=headers,
                                     timeout=self._cfg.idp_timeout, **kwargs)
