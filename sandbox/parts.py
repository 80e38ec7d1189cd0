"""The sandbox's parts: what each one is, where it listens, and how it is built and checked."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable

from sandbox.config import Settings


@dataclass(frozen=True)
class Part:
    name: str
    title: str
    factory: str  # "module:callable" returning a WSGI app
    public_url: Callable[[Settings], str]
    health_path: str

    def available(self) -> bool:
        module = self.factory.split(":")[0]
        try:
            return importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            return False

    def load_app(self):
        module, attr = self.factory.split(":")
        target = getattr(importlib.import_module(module), attr)
        return target() if attr.startswith("create_") else target


PARTS = [
    Part("aws", "AWS endpoint (moto + Lambda runtime, Cognito keys, API Gateway)",
         "aws_endpoint.app:create_app", lambda s: s.aws_endpoint_url, "/_sandbox/health"),
    Part("okta", "Mock Okta (issuer /oauth2/default)",
         "mock_idp.app:create_app", lambda s: s.okta_public_url, "/health"),
    Part("cognito", "Cognito hosted UI",
         "hosted_ui.app:create_app", lambda s: s.cognito_hosted_ui_url, "/health"),
    Part("demo", "Demo site (Django)",
         "demo_site.wsgi:application", lambda s: s.demo_site_url, "/health"),
]
