"""Where moto's Lambda management API crashes on a request the real one answers, patched in one place
(`install()`, called once by aws_endpoint.app.create_app):

- UpdateFunctionUrlConfig of a function without a URL is ResourceNotFoundException, as its
  GetFunctionUrlConfig (moto updates the missing config: AttributeError, a 500)."""

from __future__ import annotations

import functools

from moto.awslambda.models import LambdaBackend


def _update_function_url_config(original):
    @functools.wraps(original)
    def update_function_url_config(self, name_or_arn, *args, **kwargs):
        self.get_function_url_config(name_or_arn)
        return original(self, name_or_arn, *args, **kwargs)
    return update_function_url_config


def install() -> None:
    if getattr(LambdaBackend, "_sandbox_rules", False):
        return
    LambdaBackend.update_function_url_config = _update_function_url_config(LambdaBackend.update_function_url_config)
    LambdaBackend._sandbox_rules = True
