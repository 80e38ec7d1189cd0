"""Start `python manage.py sandbox` as a child process and wait until it says it is ready."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


@dataclass
class SandboxProcess:
    proc: subprocess.Popen
    log_path: Path
    ready_seconds: float

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, timeout: float = 10) -> int:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def start_sandbox(args: list[str] = (), env: dict | None = None, name: str = "sandbox",
                  timeout: float = 60, fresh: bool = True) -> SandboxProcess:
    """Run the sandbox command; return once it prints its ready line (or fail with its output).
    `fresh`: from nothing (`--fresh`: what an earlier run left on these ports is wiped; keys stay), so runs
    are independent; a test of what survives a restart passes False."""
    args = [*args, "--fresh"] if fresh else list(args)
    ARTIFACTS.mkdir(exist_ok=True)
    # Named by port offset: sandboxes side by side must not share one log.
    offset = (env or {}).get("SANDBOX_PORT_OFFSET", os.environ.get("SANDBOX_PORT_OFFSET", "0"))
    log_path = ARTIFACTS / f"{name}-{offset}.log"
    log = log_path.open("w")
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "manage.py", "sandbox", *args], cwd=ROOT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    ready = threading.Event()

    def pump():
        for line in proc.stdout:
            log.write(line)
            log.flush()
            if "Sandbox ready" in line:
                ready.set()
        log.close()
        ready.set()

    threading.Thread(target=pump, daemon=True).start()
    if not ready.wait(timeout) or proc.poll() is not None:
        proc.kill()
        raise RuntimeError(f"sandbox did not become ready:\n{log_path.read_text(errors='replace')[-4000:]}")
    return SandboxProcess(proc, log_path, time.perf_counter() - started)
