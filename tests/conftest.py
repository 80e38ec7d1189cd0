"""Session fixtures: one real sandbox process for the whole run, and its provisioned resources."""

from __future__ import annotations

import pytest

from sandbox.config import settings
from tests.sandbox_process import start_sandbox


@pytest.fixture(scope="session")
def sandbox():
    """The running sandbox (every part on its configured localhost port)."""
    process = start_sandbox()
    yield process
    process.stop()


@pytest.fixture(scope="session")
def resources(sandbox):
    """The provisioned AWS resources' ids, found through the AWS API."""
    from sandbox.provision import provision

    return provision()  # find-first: on the provisioned sandbox it only reads


@pytest.fixture(scope="session")
def urls(sandbox):
    return settings()
