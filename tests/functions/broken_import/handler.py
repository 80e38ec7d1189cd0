"""Fail at import time, as a missing dependency does."""

import not_a_packaged_dependency  # noqa: F401


def lambda_handler(event, context):
    return "unreachable"
