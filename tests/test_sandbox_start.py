"""The sandbox command: starts every part, each answers its health URL, and a taken port fails clearly."""

import os
import socket
import subprocess
import sys

import requests

from sandbox.config import port_of, settings
from sandbox.testing.browser import urls_at_offset
from sandbox.parts import PARTS
from sandbox.serve import PortInUse, bind
from tests.lambda_fixtures import wait_for
from tests.sandbox_process import ROOT, start_sandbox


def test_every_available_part_answers_its_health_url(sandbox):
    s = settings()
    parts = [p for p in PARTS if p.available()]
    assert [p.name for p in parts][:1] == ["aws"]
    for part in parts:
        response = requests.get(part.public_url(s) + part.health_path, timeout=5)
        assert response.status_code == 200, part.name


def test_ready_line_and_table_list_urls_and_demo_users(sandbox):
    out = sandbox.output()
    assert "Sandbox ready in" in out
    assert settings().aws_endpoint_url in out
    assert "alice@example.com / Passw0rd!" in out
    assert "bob@example.com / Passw0rd!" in out


def test_a_taken_port_gives_a_one_line_error_and_nonzero_exit():
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "manage.py", "sandbox", "--parts", "aws", "--no-provision"],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
            env={**__import__("os").environ, "AWS_ENDPOINT_URL": f"http://localhost:{port}"},
        )
    assert result.returncode != 0
    assert f"port {port} is already in use" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert port_of(f"http://localhost:{port}") == port


def test_the_aws_part_validates_an_openapi_import_though_it_defers_the_validators_import(sandbox):
    """The AWS part's process imports openapi_spec_validator on first use (sandbox/parts.py); moto's
    ImportRestApi with failOnWarnings still refuses a document that is not OpenAPI, and takes one that is."""
    import json

    import boto3
    import pytest
    from botocore.exceptions import ClientError

    s = settings()
    apigw = boto3.client("apigateway", endpoint_url=s.aws_endpoint_url, region_name=s.aws_region,
                         aws_access_key_id="test", aws_secret_access_key="test")
    bad = {"openapi": "3.0.0", "info": {"title": "no paths", "version": "1"}}
    with pytest.raises(ClientError) as refused:
        apigw.import_rest_api(body=json.dumps(bad).encode(), failOnWarnings=True)
    assert refused.value.response["Error"]["Code"] == "BadRequestException"
    assert "'paths' is a required property" in refused.value.response["Error"]["Message"]
    good = {**bad, "info": {"title": "imported", "description": "d", "version": "1"}, "paths": {}}
    api = apigw.import_rest_api(body=json.dumps(good).encode(), failOnWarnings=True)
    try:
        assert api["name"] == "imported"
    finally:
        apigw.delete_rest_api(restApiId=api["id"])


BESIDE = int(os.environ.get("SANDBOX_PORT_OFFSET", "0")) + 95  # beside the session's sandbox (other tests take +30, +50, +75, +85, +500)


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:  # refused, or no answer from a process being killed
        return False


def _port_free(port: int) -> bool:
    try:
        bind("probe", settings().bind_host, port).close()  # as the sandbox command takes its ports
    except PortInUse:
        return False
    return True


def test_the_parts_processes_end_with_the_sandbox_command_when_it_is_killed(tmp_path):
    health = urls_at_offset(BESIDE).okta_public_url + "/health"
    running = start_sandbox(["--parts", "okta", "--no-provision"], name="killed",
                            env={"SANDBOX_PORT_OFFSET": str(BESIDE), "SANDBOX_STATE_DIR": str(tmp_path)})
    assert _answers(health)

    running.proc.kill()  # SIGKILL: the command cannot stop its parts; their parent-death signal does
    running.proc.wait()

    # Free once every process holding the listening socket has ended (a slow answer is not the same thing).
    assert wait_for(lambda: _port_free(port_of(health)), timeout=10)
    again = start_sandbox(["--parts", "okta", "--no-provision"], name="killed", fresh=False,
                          env={"SANDBOX_PORT_OFFSET": str(BESIDE), "SANDBOX_STATE_DIR": str(tmp_path)})
    try:
        assert _answers(health)  # the port was free again
    finally:
        assert again.stop() == 0  # SIGTERM: a clean stop, status 0
    assert "Stopped." in again.output()


def test_a_part_that_cannot_load_stops_the_sandbox_with_a_one_line_reason_and_nonzero_exit(tmp_path):
    env = {**os.environ, "SANDBOX_PORT_OFFSET": str(BESIDE), "SANDBOX_STATE_DIR": str(tmp_path),
           "AWS_ENDPOINT_URL": "http://localhost:9"}  # nothing answers: the demo site cannot find its ids
    result = subprocess.run([sys.executable, "manage.py", "sandbox", "--parts", "okta,demo", "--no-provision"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 1
    assert "CommandError: the demo part exited with 1 before it served" in result.stderr
    assert not _answers(urls_at_offset(BESIDE).okta_public_url + "/health")  # the other part stopped too
