"""The sandbox command: starts every part, each answers its health URL, and a taken port fails clearly."""

import socket
import subprocess
import sys

import requests

from sandbox.config import port_of, settings
from sandbox.parts import PARTS
from tests.sandbox_process import ROOT


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
