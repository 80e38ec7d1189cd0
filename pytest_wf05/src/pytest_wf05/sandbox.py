"""A sandbox for a test session: started from the sandbox's checkout on free ports, or one already running.

Started: `python manage.py sandbox` in the checkout (its own interpreter, its own state directory under
pytest's temporary folder), on a port offset (SANDBOX_PORT_OFFSET) whose four ports are free; each
pytest-xdist worker starts its own, on its own offset. Already running: WF05_SANDBOX_OFFSET names its
offset and nothing is started (several workers may share it: every user they create is new).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

PORTS = {"aws": 4566, "demo": 8000, "okta": 9000, "cognito": 9229}  # the sandbox's default ports
OFFSET_STEP = 10  # between xdist workers' sandboxes; no two of PORTS differ by a multiple of 10 below 1000
MAX_PORT = 32767  # below Linux's ephemeral range, where a client socket may hold a port
# Variables of the caller's environment that would point the sandbox elsewhere than its offset's ports.
NOT_PASSED = ("AWS_ENDPOINT_URL", "AWS_PUBLIC_URL", "OKTA_PUBLIC_URL", "OKTA_ISSUER", "COGNITO_HOSTED_UI_URL",
              "DEMO_SITE_URL", "SANDBOX_STATE_DIR", "SANDBOX_PORT_OFFSET", "DJANGO_SETTINGS_MODULE", "PYTHONPATH",
              "PYTHONHOME", "VIRTUAL_ENV", "SANDBOX_BACKCHANNEL_MAP")


class SandboxError(RuntimeError):
    pass


@dataclass(frozen=True)
class Urls:
    """Where each party is (front-channel URLs, as a browser sees them)."""

    aws: str
    okta: str  # the Okta org
    okta_issuer: str
    cognito: str  # the user pool domain (hosted UI)
    demo_site: str

    @classmethod
    def at_offset(cls, offset: int) -> Urls:
        url = {name: f"http://localhost:{port + offset}" for name, port in PORTS.items()}
        return cls(aws=url["aws"], okta=url["okta"], okta_issuer=url["okta"] + "/oauth2/default",
                   cognito=url["cognito"], demo_site=url["demo"])


@dataclass
class Sandbox:
    """One running sandbox: its URLs, its provisioned resources' ids, and (when started here) its process."""

    urls: Urls
    offset: int
    resources: dict = field(default_factory=dict)
    process: subprocess.Popen | None = None
    log_path: Path | None = None
    okta_api_token: str = "sandbox-okta-api-token"

    @property
    def env(self) -> dict[str, str]:
        """Environment variables pointing a client app (or boto3) at this sandbox."""
        return {"AWS_ENDPOINT_URL": self.urls.aws, "AWS_REGION": self.resources.get("region", "us-east-1"),
                "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                "OKTA_ISSUER": self.urls.okta_issuer, "COGNITO_HOSTED_UI_URL": self.urls.cognito,
                "COGNITO_ISSUER": self.resources.get("issuer", ""), "API_URL": self.resources.get("api_url", "")}

    def aws_client(self, service: str):
        import boto3

        return boto3.client(service, endpoint_url=self.urls.aws, region_name=self.resources.get("region", "us-east-1"),
                            aws_access_key_id="test", aws_secret_access_key="test")

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""

    def flow_events(self, flow_id: str, steps: tuple[str, ...] = (), timeout: float = 10.0) -> list[dict]:
        """The events recorded under a flow id (the client's OAuth state), sorted by time. Parties send
        them in the background: with `steps`, wait until an event of each step has arrived."""
        deadline = time.monotonic() + timeout
        while True:
            response = requests.get(f"{self.urls.aws}/_sandbox/flow/{flow_id}", timeout=10)
            events = response.json().get("events", []) if response.status_code == 200 else []
            have = {event.get("step") for event in events}
            if all(step in have for step in steps) and (events or not steps) or time.monotonic() > deadline:
                return events
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# -- finding the sandbox's checkout --------------------------------------------------------------------

def checkout(configured: str | None) -> Path:
    """The sandbox's checkout: configured (WF05_SANDBOX_ROOT, ini wf05_root), else the one this package
    lives in (an editable install, or run from the repository)."""
    candidates = [Path(configured).expanduser()] if configured else list(Path(__file__).resolve().parents)
    for root in candidates:
        if (root / "manage.py").is_file() and (root / "sandbox" / "seed.json").is_file():
            return root.resolve()
    raise SandboxError(f"not a checkout of the sandbox: {configured}" if configured else
                       "where is the sandbox? Set WF05_SANDBOX_ROOT (or the ini option wf05_root) to its checkout")


def interpreter(root: Path, configured: str | None) -> str:
    """The sandbox's Python: configured (WF05_SANDBOX_PYTHON), else the checkout's .venv, else this one."""
    if configured:
        return configured
    own = root / ".venv" / "bin" / "python"
    return str(own) if own.exists() else sys.executable


# -- starting one ---------------------------------------------------------------------------------------

def ports_free(offset: int) -> bool:
    for port in PORTS.values():
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port + offset))
            except OSError:
                return False
    return True


def worker_index() -> tuple[int, int]:
    """(this pytest-xdist worker's number, how many workers); (0, 1) without xdist."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker.removeprefix("gw") or 0), int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))


def start(root: Path, python: str, state_dir: Path, base_offset: int, log_dir: Path, extra_env: dict | None = None,
          timeout: float = 120.0, attempts: int = 5) -> Sandbox:
    """Start a sandbox on the first free offset from base_offset (this worker's own sequence)."""
    index, count = worker_index()
    offset = base_offset + index * OFFSET_STEP
    errors = []
    for _ in range(attempts):
        while not ports_free(offset):
            offset += count * OFFSET_STEP
            if max(PORTS.values()) + offset > MAX_PORT:
                raise SandboxError(f"no free port offset from {base_offset}")
        try:
            return _start_at(root, python, state_dir, offset, log_dir, extra_env or {}, timeout)
        except SandboxError as exc:  # a port taken between the check and the start: the next offset
            errors.append(str(exc))
            offset += count * OFFSET_STEP
    raise SandboxError("the sandbox did not start:\n" + "\n".join(errors))


def _start_at(root: Path, python: str, state_dir: Path, offset: int, log_dir: Path, extra_env: dict,
              timeout: float) -> Sandbox:
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"sandbox-{offset}.log"
    env = {key: value for key, value in os.environ.items() if key not in NOT_PASSED}
    env.update({"SANDBOX_PORT_OFFSET": str(offset), "SANDBOX_STATE_DIR": str(state_dir), "PYTHONUNBUFFERED": "1",
                **extra_env})
    log = log_path.open("w")
    process = subprocess.Popen([python, "manage.py", "sandbox"], cwd=root, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    ready = threading.Event()

    def pump():
        for line in process.stdout:
            log.write(line)
            log.flush()
            if "Sandbox ready" in line:
                ready.set()
        log.close()
        ready.set()

    threading.Thread(target=pump, name=f"wf05-sandbox-{offset}", daemon=True).start()
    if not ready.wait(timeout) or process.poll() is not None:
        process.kill()
        process.wait()
        raise SandboxError(f"sandbox at offset {offset}:\n{log_path.read_text(errors='replace')[-3000:]}")
    sandbox = Sandbox(urls=Urls.at_offset(offset), offset=offset, process=process, log_path=log_path)
    try:
        sandbox.resources = provisioned(root, python, env)
    except BaseException:
        sandbox.stop()
        raise
    return sandbox


def running(root: Path, python: str, offset: int) -> Sandbox:
    """A sandbox already running at a port offset (not stopped at the end)."""
    urls = Urls.at_offset(offset)
    try:
        requests.get(f"{urls.aws}/_sandbox/health", timeout=5).raise_for_status()
    except requests.RequestException as exc:
        raise SandboxError(f"no sandbox answers at {urls.aws} (WF05_SANDBOX_OFFSET={offset}): {exc}") from None
    env = {key: value for key, value in os.environ.items() if key not in NOT_PASSED}
    env["SANDBOX_PORT_OFFSET"] = str(offset)
    return Sandbox(urls=urls, offset=offset, resources=provisioned(root, python, env))


def provisioned(root: Path, python: str, env: dict) -> dict:
    """The provisioned resources' ids (`manage.py provision --json`: finds each by name, creates nothing new)."""
    out = subprocess.run([python, "manage.py", "provision", "--json"], cwd=root, env=env, capture_output=True,
                         text=True, timeout=120, stdin=subprocess.DEVNULL)
    if out.returncode != 0:
        raise SandboxError(f"provision --json failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout)
