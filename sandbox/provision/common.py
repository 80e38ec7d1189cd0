"""What every provisioning step shares."""

from __future__ import annotations

from typing import Callable

from botocore.exceptions import ClientError

Log = Callable[[str], None]


class ProvisionError(Exception):
    pass


def is_error(error: ClientError, *codes: str) -> bool:
    return error.response["Error"]["Code"] in codes
