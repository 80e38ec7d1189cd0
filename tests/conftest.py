"""Session fixtures: one real sandbox process for the whole run, and its provisioned resources."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

from sandbox import config as sandbox_config
from sandbox.config import settings

# Each run starts from nothing, independent of the last (state persists in SANDBOX_STATE_DIR): its own state
# dir, for this process and every sandbox it starts. The persistence tests restart sandboxes inside it.
_STATE_DIR = tempfile.mkdtemp(prefix="sandbox-test-state-")
os.environ["SANDBOX_STATE_DIR"] = _STATE_DIR
sandbox_config.settings.cache_clear()


def pytest_unconfigure(config):
    shutil.rmtree(_STATE_DIR, ignore_errors=True)
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
