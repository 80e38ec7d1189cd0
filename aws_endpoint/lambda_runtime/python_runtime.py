"""What AWS's Python runtime gives a function besides its own zip: an interpreter and a few libraries.

On Lambda a Python function sees its deployment package (/var/task), its layers (/opt/python and
/opt/python/lib/pythonX.Y/site-packages), the standard library, and the AWS SDK the runtime includes:
boto3 and botocore with their own dependencies (Lambda developer guide, "Working with .zip file archives
for Python Lambda functions": "Dependency search path and runtime-included libraries"). Anything else fails
to import (Runtime.ImportModuleError). The sandbox's virtualenv has much more (Django, requests, PyJWT...),
so workers never see it: they run under `python -I -S` (no site-packages) and bootstrap.py builds sys.path
from the directories given here.

`runtime_libraries()` is one directory per sandbox environment holding only those distributions: symlinks
to their top-level packages in the sandbox's site-packages, found through importlib.metadata's file lists.
`interpreter(runtime)` is the `pythonX.Y` the function's Runtime names when it is on PATH, else the
sandbox's own interpreter, said once on the sandbox's output.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import threading
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from aws_endpoint.lambda_runtime.code_cache import built_once
from aws_endpoint.lambda_runtime.log_stream import show
from sandbox.config import settings

# The SDK the Python runtimes include, with its dependencies (pip show boto3 botocore s3transfer).
RUNTIME_DISTRIBUTIONS = ("boto3", "botocore", "jmespath", "python-dateutil", "s3transfer", "six", "urllib3")
PYTHON_RUNTIME = re.compile(r"^python(\d+)\.(\d+)$")


def top_level_names(dist: metadata.Distribution) -> set[str]:
    """The top-level packages and modules a distribution installed (its RECORD's first path parts)."""
    names = set()
    for path in dist.files or ():
        first = path.parts[0]
        if first in ("..", "__pycache__") or first.endswith((".dist-info", ".egg-info", ".pth", ".data")):
            continue
        if len(path.parts) == 1 and not first.endswith(".py"):
            continue  # e.g. a stray LICENSE at the top of site-packages
        names.add(first)
    return names


def _distributions() -> list[metadata.Distribution]:
    return [metadata.distribution(name) for name in RUNTIME_DISTRIBUTIONS]


@lru_cache(maxsize=1)
def runtime_libraries() -> Path:
    """A directory holding only the runtime-included distributions (built once per environment)."""
    dists = _distributions()
    fingerprint = "\n".join(f"{d.metadata['Name']}=={d.version}@{d.locate_file('')}" for d in dists)
    root = settings().state_dir / "lambda" / "runtime"
    target = root / hashlib.sha256(fingerprint.encode()).hexdigest()[:16]
    if target.is_dir():
        return target

    def link(staging: Path) -> None:
        for dist in dists:
            site = Path(dist.locate_file(""))
            entries = top_level_names(dist) | {p.parts[0] for p in dist.files or () if p.parts[0].endswith(".dist-info")}
            for name in entries:
                if (site / name).exists() and not (staging / name).exists():
                    (staging / name).symlink_to(site / name)

    return built_once(target, link)


def python_version(runtime: str) -> tuple[int, int] | None:
    match = PYTHON_RUNTIME.match(runtime)
    return (int(match.group(1)), int(match.group(2))) if match else None


_said: set[str] = set()
_said_lock = threading.Lock()


@lru_cache(maxsize=None)
def find_python(version: tuple[int, int]) -> tuple[str | None, str]:
    """(`pythonX.Y` on PATH, "") if it runs, is that version and can import the runtime's libraries (the
    sandbox's boto3, urllib3... may need a newer Python); else (None, why not). A pyenv shim may exist and
    refuse to run."""
    name = f"python{version[0]}.{version[1]}"
    found = shutil.which(name)
    if not found:
        return None, f"{name} is not on PATH"
    probe = ("import sys; sys.path.append(sys.argv[1]); print('%d.%d' % sys.version_info[:2]); import boto3")
    try:
        out = subprocess.run([found, "-I", "-S", "-c", probe, str(runtime_libraries())], capture_output=True,
                             text=True, timeout=60, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"{found} does not run ({exc})"
    if out.stdout.split("\n")[0].strip() != f"{version[0]}.{version[1]}":
        return None, f"{found} does not run as Python {version[0]}.{version[1]}"
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or [""])[-1]
        return None, f"{found} cannot import the sandbox's boto3 ({last})"
    return found, ""


def interpreter(runtime: str) -> tuple[str, tuple[int, int]]:
    """The interpreter for a function's Runtime and the Python version it names (for /opt's layout).

    `python3.12` on PATH for Runtime python3.12; else the sandbox's own interpreter, said once per runtime."""
    own = sys.version_info[:2]
    wanted = python_version(runtime)
    found, why = (None, "") if wanted is None or wanted == own else find_python(wanted)
    if found:
        return found, wanted
    if wanted != own:
        with _said_lock:
            first = runtime not in _said
            _said.add(runtime)
        if first:
            message = (f"Lambda runtime {runtime}: {why}; its functions run on "
                       f"Python {own[0]}.{own[1]} ({sys.executable})" if wanted else
                       f"Lambda runtime {runtime!r} is not a Python runtime; its functions run on Python "
                       f"{own[0]}.{own[1]} ({sys.executable})")
            show("sandbox", message)
    return sys.executable, wanted or own


def search_path(task_root: Path, opt: Path | None, version: tuple[int, int]) -> dict[str, list[str]]:
    """sys.path around the standard library, in Lambda's order: the function's code and its layers' two
    Python folders before it, the runtime's libraries after it."""
    before = [str(task_root)]
    if opt is not None:
        before += [str(opt / "python" / "lib" / f"python{version[0]}.{version[1]}" / "site-packages"),
                   str(opt / "python")]
    return {"before": before, "after": [str(runtime_libraries())]}
