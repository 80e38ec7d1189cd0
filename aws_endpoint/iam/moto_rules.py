"""Where moto's IAM crashes on a request the real one answers, patched in one place (`install()`, called once
by aws_endpoint.app.create_app):

- a `Marker` that is not one IAM handed out is ValidationError "Invalid Marker." (moto's own answer for a
  marker past the end), where moto's int(marker) raised ValueError, a 500: `PAGINATED` lists the calls."""

from __future__ import annotations

import functools
import inspect

from moto.iam.exceptions import ValidationError
from moto.iam.models import IAMBackend

# moto's markers are list offsets; these read them with int(). (_filter_attached_policies serves the three
# ListAttached*Policies.)
PAGINATED = ("_filter_attached_policies", "list_role_tags", "list_policy_tags", "list_roles",
             "list_virtual_mfa_devices", "list_open_id_connect_provider_tags")


def _markers_checked(original):
    signature = inspect.signature(original)

    @functools.wraps(original)
    def call(self, *args, **kwargs):
        marker = signature.bind(self, *args, **kwargs).arguments.get("marker")
        if marker and not (isinstance(marker, str) and marker.isascii() and marker.isdigit()):
            raise ValidationError("Invalid Marker.")
        return original(self, *args, **kwargs)
    return call


def install() -> None:
    if getattr(IAMBackend, "_sandbox_rules", False):
        return
    for name in PAGINATED:
        setattr(IAMBackend, name, _markers_checked(getattr(IAMBackend, name)))
    IAMBackend._sandbox_rules = True
