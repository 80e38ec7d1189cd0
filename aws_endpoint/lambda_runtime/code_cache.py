"""Each deployed zip extracted once, into a directory named by its SHA-256, shared by its workers."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from sandbox.config import settings


def code_dir(code: bytes) -> Path:
    """The extracted code's directory (LAMBDA_TASK_ROOT), extracting it on first use."""
    root = settings().state_dir / "lambda" / "code"
    target = root / hashlib.sha256(code).hexdigest()
    if target.is_dir():
        return target
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=root, prefix=".extract-"))
    try:
        try:
            with zipfile.ZipFile(io.BytesIO(code)) as archive:
                archive.extractall(staging)
        except zipfile.BadZipFile:
            pass  # empty code: the import of the handler then fails as Runtime.ImportModuleError
        os.rename(staging, target)  # atomic: concurrent cold starts of the same code never see half a tree
    except OSError:
        if not target.is_dir():
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
