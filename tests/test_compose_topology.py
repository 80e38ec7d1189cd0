"""compose.yaml's topology, without a Docker engine: each service's own command and environment run as a
separate local process (service names mapped to localhost, every port shifted away from the session's
sandbox), started in compose's dependency order, each waited on with its own health check; then a sign-in
runs through them. What this proves: the channels, issuers and start order in compose.yaml work."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import yaml

from sandbox.config import seed
from tests.browser import http_sign_in
from tests.flows import flow_events, has_steps
from tests.sandbox_process import ARTIFACTS, ROOT

COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
# Ports 21066-30729 for offsets up to 50000: clear of the session sandboxes' ports (offset + 4566/8000/
# 9000/9229 for offsets in thousands) and below Linux's ephemeral range (32768-60999), where busy outgoing
# connections can hold any port for a moment.
SHIFT = int(os.environ.get("COMPOSE_TEST_PORT_SHIFT", 16500 + int(os.environ.get("SANDBOX_PORT_OFFSET", "0")) // 10))
URL = re.compile(r"http://(" + "|".join(map(re.escape, [*SERVICES, "localhost", "127.0.0.1"])) + r"):(\d+)")
ALICE = next(u for u in seed()["okta"]["users"] if u["login"] == "alice@example.com")


def localize(value: str) -> str:
    """http://<service or localhost>:<port> -> http://localhost:<port + SHIFT> (what /etc/hosts would do)."""
    return URL.sub(lambda m: f"http://localhost:{int(m.group(2)) + SHIFT}", value)


def dockerfile_env() -> dict[str, str]:
    """The image's ENV lines (key=value pairs), which every container starts with."""
    env = {}
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("ENV "):
            env.update(pair.split("=", 1) for pair in line[4:].split())
    return env


def service_env(name: str, state_root: Path) -> dict[str, str]:
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TMPDIR") if k in os.environ}
    env.update(dockerfile_env())
    env.update({k: localize(str(v)) for k, v in SERVICES[name].get("environment", {}).items()})
    env["SANDBOX_BIND_HOST"] = "127.0.0.1"  # not 0.0.0.0 on a shared machine
    env["SANDBOX_STATE_DIR"] = str(state_root / name)  # each container has its own filesystem
    return env


def local_command(command: list[str]) -> list[str]:
    return [sys.executable if part == "python" else localize(part) for part in command]


def start_order() -> list[str]:
    """Services with their dependencies first (compose's order)."""
    order: list[str] = []

    def visit(name: str) -> None:
        for dep in SERVICES[name].get("depends_on", {}):
            visit(dep)
        if name not in order:
            order.append(name)

    for name in SERVICES:
        visit(name)
    return order


class Topology:
    def __init__(self, state_root: Path):
        self.state_root = state_root
        self.procs: dict[str, subprocess.Popen] = {}
        self.env: dict[str, dict] = {}

    def start(self, name: str) -> None:
        for dep, rule in SERVICES[name].get("depends_on", {}).items():
            self.wait_for(dep, rule["condition"])
        self.env[name] = service_env(name, self.state_root)
        log = (ARTIFACTS / f"compose-{name}-{SHIFT}.log").open("w")
        self.procs[name] = subprocess.Popen(local_command(SERVICES[name]["command"]), cwd=ROOT, env=self.env[name],
                                            stdout=log, stderr=subprocess.STDOUT)

    def healthy(self, name: str) -> bool:
        test = SERVICES[name]["healthcheck"]["test"]
        assert test[0] == "CMD"
        return subprocess.run(local_command(test[1:]), capture_output=True, timeout=10).returncode == 0

    def wait_for(self, name: str, condition: str, timeout: float = 90) -> None:
        """compose's depends_on conditions: poll the health check, or wait for a clean exit."""
        proc = self.procs[name]
        if condition == "service_completed_successfully":
            assert proc.wait(timeout) == 0, self.log(name)
            return
        assert condition == "service_healthy"
        deadline = time.monotonic() + timeout
        while not self.healthy(name):
            assert proc.poll() is None, f"{name} exited:\n{self.log(name)}"
            assert time.monotonic() < deadline, f"{name} never became healthy:\n{self.log(name)}"
            try:  # the health check's interval, cut short if the process dies
                proc.wait(float(SERVICES[name]["healthcheck"]["interval"].rstrip("s")))
            except subprocess.TimeoutExpired:
                pass

    def log(self, name: str) -> str:
        return (ARTIFACTS / f"compose-{name}-{SHIFT}.log").read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        for proc in reversed(list(self.procs.values())):
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="module")
def topology(tmp_path_factory):
    ARTIFACTS.mkdir(exist_ok=True)
    topo = Topology(tmp_path_factory.mktemp("compose-state"))
    try:
        for name in start_order():
            topo.start(name)
        for name in SERVICES:
            if "healthcheck" in SERVICES[name]:
                topo.wait_for(name, "service_healthy")
        yield topo
    finally:
        topo.stop()


def test_compose_services_start_in_dependency_order_and_pass_their_own_health_checks(topology):
    order = start_order()
    assert order.index("aws") < order.index("provision") < order.index("cognito") < order.index("demo")
    assert topology.procs["provision"].returncode == 0
    assert all(topology.healthy(name) for name in SERVICES if "healthcheck" in SERVICES[name])


def test_a_sign_in_through_the_compose_services_reaches_the_profile_with_front_channel_issuers(topology):
    demo_env = topology.env["demo"]
    demo = demo_env["DEMO_SITE_URL"]
    profile = http_sign_in(demo, ALICE)
    assert profile.url == demo + "/profile/", profile.text[-2000:]
    assert profile.status_code == 200
    assert f"okta_{ALICE['id']}".lower() in profile.text and "alice@example.com" in profile.text
    # The issuers the tokens carry are the browser's URLs, though every server reached every other by
    # its back-channel address: the `iss` Cognito wrote is its front-channel issuer.
    id_token_iss = re.search(r"<th>iss</th><td><code>([^<]+)</code>", profile.text).group(1)
    assert id_token_iss.startswith(demo_env["AWS_PUBLIC_URL"] + "/us-east-1_")
    discovery = requests.get(id_token_iss + "/.well-known/openid-configuration", timeout=10).json()
    assert discovery["issuer"] == id_token_iss
    okta_discovery = requests.get(demo_env["OKTA_ISSUER"] + "/.well-known/openid-configuration", timeout=10).json()
    assert okta_discovery["issuer"] == demo_env["OKTA_ISSUER"]


def test_every_party_in_its_own_process_records_into_one_flow(topology):
    demo = topology.env["demo"]["DEMO_SITE_URL"]
    profile = http_sign_in(demo, ALICE)
    assert profile.status_code == 200
    aws = topology.env["aws"]["AWS_ENDPOINT_URL"]
    latest = requests.get(aws + "/_sandbox/flow", timeout=10).json()["flows"][0]["flow"]
    events = flow_events(latest, has_steps("abcdefghk"), aws=aws)
    actors = {e["actor"] for e in events}
    assert {"demo", "cognito", "okta"} <= actors, actors
    assert {"a", "b", "c", "d", "e", "f", "g", "h", "k"} <= {e["step"] for e in events}
