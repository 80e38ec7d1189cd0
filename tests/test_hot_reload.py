"""Your own trigger, hot-reloaded: a sandbox whose PreSignUp function is a folder of yours
(SANDBOX_PRESIGNUP_SOURCE) redeploys it through UpdateFunctionCode when a file there is saved; the next
first sign-in runs the new code, with no restart; code that does not compile is reported and not deployed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import boto3
import pytest

from sandbox.testing.browser import Browser, urls_at_offset
from sandbox.testing.okta import create_okta_user
from sandbox.config import ROOT, seed
from sandbox.hot_reload import Watcher, snapshot, syntax_error
from tests.lambda_fixtures import wait_for as poll
from tests.sandbox_process import start_sandbox

OFFSET = int(os.environ.get("SANDBOX_PORT_OFFSET", "0")) + 75  # beside the session's (+50, +500 are taken)
PRESIGNUP = "sandbox-presignup"
TABLE = seed()["dynamodb"]["user_table"]


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.1):
    """Poll until predicate() is truthy or the deadline passes (lambda_fixtures.wait_for, slower)."""
    return poll(predicate, timeout, interval)


@pytest.fixture(scope="module")
def own_trigger(tmp_path_factory):
    """A copy of trigger/ under another folder and module name, registered as the PreSignUp source."""
    folder = tmp_path_factory.mktemp("my-trigger") / "presignup"
    shutil.copytree(ROOT / "trigger", folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "handler.py").rename(folder / "my_presignup.py")
    return folder


@pytest.fixture(scope="module")
def reloading(own_trigger, tmp_path_factory):
    env = {"SANDBOX_PORT_OFFSET": str(OFFSET), "SANDBOX_STATE_DIR": str(tmp_path_factory.mktemp("state")),
           "SANDBOX_PRESIGNUP_SOURCE": str(own_trigger), "SANDBOX_PRESIGNUP_HANDLER": "my_presignup.lambda_handler",
           "SANDBOX_HOT_RELOAD_POLL_SECONDS": "0.2"}
    process = start_sandbox(env=env, name="hot-reload")
    yield process
    process.stop()


@pytest.fixture(scope="module")
def aws(reloading):
    urls = urls_at_offset(OFFSET)
    return lambda service: boto3.client(service, endpoint_url=urls.aws_endpoint_url, region_name="us-east-1",
                                        aws_access_key_id="test", aws_secret_access_key="test")


def first_sign_in(urls) -> dict:
    """A new Okta user's first sign-in through the demo site; the user's DynamoDB item."""
    login = create_okta_user(first="Reload", org_url=urls.okta_public_url).login
    result = Browser(timeout=30, urls=urls).sign_in(login)
    assert result.ok, (result.page.url, result.page.status_code, result.error)
    return login


def stored_item(aws, login: str) -> dict:
    items = aws("dynamodb").scan(TableName=TABLE)["Items"]
    return next(item for item in items if item.get("Email", {}).get("S") == login)


def code_sha(aws) -> str:
    return aws("lambda").get_function(FunctionName=PRESIGNUP)["Configuration"]["CodeSha256"]


def test_the_presignup_function_is_deployed_from_your_folder_with_your_handler(aws, reloading):
    config = aws("lambda").get_function(FunctionName=PRESIGNUP)["Configuration"]
    assert config["Handler"] == "my_presignup.lambda_handler"
    login = first_sign_in(urls_at_offset(OFFSET))
    assert "StoredBy" not in stored_item(aws, login)


def test_a_saved_change_is_deployed_and_the_next_first_sign_in_runs_it(aws, reloading, own_trigger):
    before = code_sha(aws)
    module = own_trigger / "user_details.py"
    module.write_text(module.read_text().replace(
        '"userName": {"S": event["userName"]},', '"userName": {"S": event["userName"]}, "StoredBy": {"S": "v2"},'))

    assert wait_for(lambda: f"[hot reload] updated {PRESIGNUP} from {own_trigger}" in reloading.output()), \
        reloading.output()[-3000:]
    assert code_sha(aws) != before
    login = first_sign_in(urls_at_offset(OFFSET))
    assert stored_item(aws, login)["StoredBy"] == {"S": "v2"}


def test_code_that_does_not_compile_is_reported_and_the_last_good_code_keeps_running(aws, reloading, own_trigger):
    before = code_sha(aws)
    handler = own_trigger / "my_presignup.py"
    good = handler.read_text()
    handler.write_text(good + "\ndef broken(:\n")
    try:
        said = f"[hot reload] {PRESIGNUP}: not updated, {own_trigger}/my_presignup.py line"
        assert wait_for(lambda: said in reloading.output()), reloading.output()[-3000:]
        assert "the deployed code keeps running" in reloading.output()
        assert code_sha(aws) == before
        login = first_sign_in(urls_at_offset(OFFSET))
        assert "userName" in stored_item(aws, login)
    finally:
        handler.write_text(good)


# -- the watcher's parts ------------------------------------------------------------------------------------

def test_a_snapshot_changes_when_a_file_is_saved_and_not_when_bytecode_is_written(tmp_path):
    (tmp_path / "handler.py").write_text("x = 1\n")
    first = snapshot(tmp_path)
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "handler.cpython-311.pyc").write_bytes(b"\0")
    assert snapshot(tmp_path) == first
    (tmp_path / "handler.py").write_text("x = 22\n")
    assert snapshot(tmp_path) != first


def test_a_syntax_error_is_named_by_file_and_line(tmp_path):
    (tmp_path / "ok.py").write_text("x = 1\n")
    assert syntax_error(tmp_path) is None
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "bad.py").write_text("x = 1\nif x\n")
    assert syntax_error(tmp_path) == "pkg/bad.py line 2: expected ':'"


def test_a_missing_folder_is_not_watched(tmp_path):
    from sandbox.functions import Function

    gone = Function("f", "PRESIGNUP", tmp_path / "nowhere", "handler.lambda_handler", 3, {})
    assert Watcher((gone,), 1.0).watched == []


def test_a_source_setting_naming_no_folder_stops_the_sandbox_with_a_clear_error(tmp_path):
    missing = tmp_path / "nowhere"
    env = {**os.environ, "SANDBOX_PORT_OFFSET": str(OFFSET + 10), "SANDBOX_STATE_DIR": str(tmp_path / "state"),
           "SANDBOX_PRESIGNUP_SOURCE": str(missing)}
    out = subprocess.run([sys.executable, "manage.py", "sandbox", "--parts", "aws"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    assert f"CommandError: SANDBOX_PRESIGNUP_SOURCE={missing}: no such folder" in out.stderr
    assert "Traceback" not in out.stdout + out.stderr
