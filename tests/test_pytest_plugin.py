"""The pytest plugin (pytest_wf05/), used from outside as another project uses it: installed by pip into a
folder of its own, it runs an example project's suite (a plain OIDC client and a Django app signing users in
through the hosted UI and Okta, then calling the API) under pytest-xdist's `-n 2`, each worker with its own
sandbox on free ports."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from sandbox.aws import client
from sandbox.config import ROOT

# The example's sandboxes: +30 and +40 beside this run's own (+50, +75 and +500 are other tests').
BASE_OFFSET = int(os.environ.get("SANDBOX_PORT_OFFSET", "0")) + 30


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """pytest-wf05 installed by pip (no dependencies: they are this environment's) into its own folder."""
    work = tmp_path_factory.mktemp("plugin")
    source = work / "src"
    shutil.copytree(ROOT / "pytest_wf05", source, ignore=shutil.ignore_patterns("example", "__pycache__", "*.egg-info",
                                                                              "build"))
    target = work / "site"
    out = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                          "--no-index", "--target", str(target), str(source)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return target


def run_example(installed, tmp_path, *args: str, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "pytest_wf05" / "example", project, ignore=shutil.ignore_patterns("__pycache__"))
    env = {key: value for key, value in os.environ.items()
           if key not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH", "SANDBOX_PORT_OFFSET", "PYTEST_XDIST_WORKER",
                          "PYTEST_XDIST_WORKER_COUNT", "PYTEST_ADDOPTS")}
    env.update({"PYTHONPATH": str(installed), "WF05_SANDBOX_ROOT": str(ROOT), "WF05_SANDBOX_PYTHON": sys.executable,
                "WF05_PORT_OFFSET": str(BASE_OFFSET), **(extra_env or {})})
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=project,
                          env=env, capture_output=True, text=True, timeout=600)


def test_the_installed_plugin_runs_an_example_projects_suite_under_two_xdist_workers(installed, tmp_path):
    basetemp = tmp_path / "basetemp"
    out = run_example(installed, tmp_path, "-n", "2", "-v", "--basetemp", str(basetemp))
    report = out.stdout + out.stderr
    assert out.returncode == 0, report[-6000:]
    assert re.search(r"\b4 passed\b", report), report[-3000:]
    # Both workers ran tests, each against its own sandbox on its own ports.
    assert re.search(r"\[gw0\].*PASSED", report) and re.search(r"\[gw1\].*PASSED", report), report[-3000:]
    logs = sorted(path.name for path in basetemp.glob("**/sandbox-*.log"))
    assert len(logs) == 2 and logs[0] != logs[1], logs


def test_the_plugin_is_found_through_its_pytest11_entry_point(installed, tmp_path):
    out = run_example(installed, tmp_path, "--fixtures", "tests/test_oidc_client.py")
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    for fixture in ("wf05_sandbox", "wf05_resources", "wf05_okta_user", "wf05_sign_in", "wf05_app_client",
                    "wf05_browser", "wf05_flow_events"):
        assert fixture in out.stdout
    assert "pytest_wf05" in out.stdout


def test_a_sandbox_checkout_that_is_not_one_is_a_clear_error(installed, tmp_path):
    out = run_example(installed, tmp_path, "tests/test_oidc_client.py", "-x", extra_env={"WF05_SANDBOX_ROOT": str(tmp_path)})
    assert out.returncode != 0
    assert f"not a checkout of the sandbox: {tmp_path}" in out.stdout


def test_two_xdist_workers_share_a_sandbox_already_running_when_named_by_its_offset(installed, tmp_path, sandbox,
                                                                                    resources):
    # This run's own sandbox (SANDBOX_PORT_OFFSET): the example starts none and leaves it running.
    offset = os.environ.get("SANDBOX_PORT_OFFSET", "0")
    basetemp = tmp_path / "basetemp"
    out = run_example(installed, tmp_path, "-n", "2", "-v", "--basetemp", str(basetemp),
                      extra_env={"WF05_SANDBOX_OFFSET": offset})
    report = out.stdout + out.stderr
    assert out.returncode == 0, report[-6000:]
    assert re.search(r"\b4 passed\b", report), report[-3000:]
    assert basetemp.is_dir() and not list(basetemp.glob("**/sandbox-*.log"))  # nothing was started
    assert sandbox.proc.poll() is None
    # It is left as it was: the app client the Django test registered is gone again.
    clients = client("cognito-idp").list_user_pool_clients(UserPoolId=resources.user_pool_id, MaxResults=60)
    assert not [c for c in clients["UserPoolClients"] if c["ClientName"].startswith("pytest-wf05-")]
