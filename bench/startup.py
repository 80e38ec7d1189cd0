"""Sandbox start-up: `python manage.py sandbox` started as a child process, as a user starts it, until
every part's health URL answers 200, each beside a bare `python -m moto.server` start.

Two kinds, both measured: a start on saved state (what `make demo` gives every day after the first: the
parts restore what users made, provisioning is skipped) and a first start from nothing (an empty state
dir: provisioning through boto3, new keys, the demo site's database migrated).

This row alone: `python -m bench.startup [rounds]` (3 by default) prints its figures as JSON, on a new
state dir, with the ports SANDBOX_PORT_OFFSET gives."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

import requests

from sandbox.config import ROOT, settings
from sandbox.parts import PARTS


def health_urls() -> list[str]:
    s = settings()
    return [part.public_url(s) + part.health_path for part in PARTS if part.available()]


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=0.5).status_code == 200
    except requests.RequestException:
        return False


def _timed_start(argv: list[str], ready, what: str, deadline_seconds: float,
                 env: dict | None = None) -> tuple[float, subprocess.Popen]:
    """Start `argv` and poll `ready()` every 10 ms (the measurement's resolution) until it is true: the
    seconds from the start, and the still running process (stopped if it fails or never gets ready)."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not ready():
            if proc.poll() is not None:
                raise RuntimeError(f"{what} exited with {proc.returncode} before it was ready")
            if time.perf_counter() - started > deadline_seconds:
                raise RuntimeError(f"{what} not ready after {deadline_seconds} s")
            time.sleep(0.01)
    except BaseException:
        stop(proc)
        raise
    return time.perf_counter() - started, proc


def cold_start(deadline_seconds: float = 60.0, state_dir: str | None = None) -> tuple[float, subprocess.Popen]:
    """Seconds from process start to every health URL answering; returns the still running process."""
    pending = health_urls()

    def every_part_healthy() -> bool:
        pending[:] = [url for url in pending if not _answers(url)]
        return not pending

    env = {**os.environ, "PYTHONUNBUFFERED": "1", **({"SANDBOX_STATE_DIR": state_dir} if state_dir else {})}
    return _timed_start([sys.executable, "manage.py", "sandbox"], every_part_healthy, "the sandbox",
                        deadline_seconds, env)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def bare_moto_start(port: int, deadline_seconds: float = 60.0) -> float:
    """Seconds from `python -m moto.server` starting to its first HTTP answer (the bar for our start-up)."""

    def answers() -> bool:
        try:
            requests.get(f"http://127.0.0.1:{port}/moto-api/", timeout=0.5)
            return True
        except requests.RequestException:
            return False

    seconds, proc = _timed_start([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                 answers, "moto.server", deadline_seconds)
    stop(proc)
    return seconds


def compile_sources() -> None:
    """Both sides start from bytecode: moto's was compiled into the virtualenv when pip installed it, the
    project's is compiled here. Where PYTHONDONTWRITEBYTECODE is set (these shells set it), every start
    would otherwise compile each module changed since its last .pyc again, and moto's side never does."""
    import compileall  # noqa: PLC0415

    for package in sorted(ROOT.iterdir()):
        if (package / "__init__.py").is_file() and package.name != "tests":
            compileall.compile_dir(package, quiet=1)


def interleaved(runs: int, state_dir: str) -> tuple[dict, subprocess.Popen]:
    """`runs` rounds of: a bare moto.server start, a sandbox start from nothing (a new empty state dir),
    a bare moto.server start, a sandbox start on `state_dir`'s saved state (made by a first start before
    the rounds). The last sandbox (on `state_dir`) stays up."""
    from sandbox.config import port_of  # noqa: PLC0415

    moto_port = port_of(settings().aws_endpoint_url) + 22
    compile_sources()
    _, proc = cold_start(state_dir=state_dir)  # the saved state every later start restores
    stop(proc)
    fresh, fresh_moto, saved, saved_moto = [], [], [], []
    for i in range(runs):
        fresh_moto.append(bare_moto_start(moto_port))
        with tempfile.TemporaryDirectory(prefix="bench-fresh-") as empty:
            seconds, proc = cold_start(state_dir=empty)
            stop(proc)
        fresh.append(seconds)
        saved_moto.append(bare_moto_start(moto_port))
        seconds, proc = cold_start(state_dir=state_dir)
        saved.append(seconds)
        if i < runs - 1:
            stop(proc)

    def rounded(xs):
        return [round(x, 3) for x in xs]

    return {
        # The row's figure: a start on saved state, as `make demo` gives every day.
        "sandbox_s": rounded(saved), "moto_s": rounded(saved_moto),
        "ratio": statistics.median(saved) / statistics.median(saved_moto),
        "fresh": {"sandbox_s": rounded(fresh), "moto_s": rounded(fresh_moto),
                  "ratio": statistics.median(fresh) / statistics.median(fresh_moto)},
    }, proc


def main(argv: list[str] | None = None) -> None:
    import json  # noqa: PLC0415

    from sandbox.config import apply_local_aws_defaults  # noqa: PLC0415

    argv = sys.argv[1:] if argv is None else argv
    apply_local_aws_defaults()
    if any(_answers(url) for url in health_urls()):
        sys.exit("something already answers on the sandbox's ports: stop it, or set SANDBOX_PORT_OFFSET")
    state_dir = tempfile.mkdtemp(prefix="bench-state-")
    results, proc = interleaved(int(argv[0]) if argv else 3, state_dir)
    stop(proc)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
