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
    # It reads the provisioned resources when it loads: the sandbox command starts it after provisioning.
    after_provisioning: bool = False
    # Imported while it waits for provisioning (its process is started with the others).
    preload: Callable[[], None] = lambda: None
    # Given what the sandbox command's provisioning made or found (provision.Resources, as a dict) before
    # it loads, when it waited for it.
    provisioned: Callable[[dict], None] = lambda resources: None
    # The boto3 clients it makes before it serves (sandbox/aws.py's): the sandbox command makes them once,
    # before it forks the parts that have any (after the AWS endpoint's, which needs none).
    clients: tuple[str, ...] = ()

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


# What every part imports: the sandbox command imports it once, before it forks the parts' processes.
# jinja2: the mock Okta's and the hosted UI's pages, moto's responses (0.04 s each); asyncio: moto's
# unittest.mock and Django's asgiref.
SHARED_IMPORTS = ("boto3", "botocore.client", "requests", "werkzeug.wrappers", "werkzeug.routing", "jwt",
                  "cryptography.hazmat.primitives.asymmetric.rsa", "sandbox.state", "sandbox.flowlog",
                  "jinja2", "asyncio")


def _aws_preload() -> None:
    """moto.apigateway.models imports openapi_spec_validator (pydantic, jsonschema: a sixth of the AWS
    endpoint's start) for ImportRestApi/PutRestApi's validation alone, and restoring API Gateway's state
    imports moto.apigateway. Stand-ins for the two names it takes import the real package on first use;
    the real error is raised as the stand-in's class (what moto catches), with its `message`."""
    import sys  # noqa: PLC0415
    import types  # noqa: PLC0415

    if "openapi_spec_validator" in sys.modules:
        return
    package = types.ModuleType("openapi_spec_validator")
    validation = types.ModuleType("openapi_spec_validator.validation")
    exceptions = types.ModuleType("openapi_spec_validator.validation.exceptions")

    class OpenAPIValidationError(Exception):
        def __init__(self, real: Exception):
            super().__init__(str(real))
            self.message = getattr(real, "message", str(real))

    loaded = {}

    def validate(*args, **kwargs):
        if not loaded:
            for name in (package.__name__, validation.__name__, exceptions.__name__):
                del sys.modules[name]  # the stand-ins: the real package from here on
            import openapi_spec_validator as real  # noqa: PLC0415
            from openapi_spec_validator.validation import exceptions as real_exceptions  # noqa: PLC0415

            loaded.update(validate=real.validate, error=real_exceptions.OpenAPIValidationError)
        try:
            return loaded["validate"](*args, **kwargs)
        except loaded["error"] as exc:
            raise OpenAPIValidationError(exc) from exc

    package.validate, package.validation, validation.exceptions = validate, validation, exceptions
    exceptions.OpenAPIValidationError = OpenAPIValidationError
    sys.modules.update({m.__name__: m for m in (package, validation, exceptions)})


def _demo_preload() -> None:
    """Django set up, and what the demo site can do before there is anything to read from AWS
    (demo_site/startup.py's before_aws)."""
    import os  # noqa: PLC0415

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo_site.settings")
    import django  # noqa: PLC0415

    django.setup()
    from demo_site.startup import before_aws  # noqa: PLC0415

    before_aws()


def _demo_provisioned(resources: dict) -> None:
    """The ids the demo site would find by name, as provisioning made or found them by the same names."""
    from django.conf import settings  # noqa: PLC0415

    from demo_site.resources import adopt  # noqa: PLC0415

    adopt(settings, resources)


PARTS = [
    Part("aws", "AWS endpoint (moto + Lambda runtime, Cognito keys, API Gateway)",
         "aws_endpoint.app:create_app", lambda s: s.aws_endpoint_url, "/_sandbox/health", preload=_aws_preload),
    Part("okta", "Mock Okta (issuer /oauth2/default)",
         "mock_idp.app:create_app", lambda s: s.okta_public_url, "/health"),
    Part("cognito", "Cognito hosted UI",
         "hosted_ui.app:create_app", lambda s: s.cognito_hosted_ui_url, "/health", clients=("cognito-idp",)),
    Part("demo", "Demo site (Django)",
         "demo_site.wsgi:application", lambda s: s.demo_site_url, "/health",
         after_provisioning=True, preload=_demo_preload, provisioned=_demo_provisioned,
         clients=("cognito-idp",)),
]

