"""Each deployed zip extracted once, into a directory named by its SHA-256, shared by its workers.

A zip is measured before anything is written: Lambda's quota on a function's unzipped deployment package
is 250 MB, and CreateFunction / UpdateFunctionCode refuse a bigger one with 400
InvalidParameterValueException "Unzipped size must be smaller than 262144000 bytes" (the message CloudFormation
and the SDKs show, e.g. jkehler/awslambda-psycopg2#82, adnanrahic/serverless-side-rendering-vue-nuxt#6,
EniasCailliau/GirlfriendGPT#74; with layers the number is 262144000 less their size, as in
aws-samples/serverless-pdf-chat#51). moto stores such a zip anyway, so the sandbox refuses it here, at the
first invoke, with Lambda's error. The total is the entries' declared `file_size`: zipfile never writes
more than an entry declares (ZipExtFile truncates its output at file_size), so this bounds the disk used.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from aws_endpoint.lambda_runtime.errors import InvalidParameterValue
from sandbox.config import settings

# Lambda quotas ("Lambda quotas", developer guide): 250 MB unzipped, including layers.
MAX_UNZIPPED_BYTES = 262_144_000
# Not a Lambda quota: the sandbox's own bound on entries (each one a file and an inode). Real packages with
# node_modules reach some tens of thousands. The refusal uses Lambda's wording for a zip it cannot unzip
# (aws-samples/aws-rds-snapshot-management#4).
MAX_ENTRIES = 100_000
UNUSABLE_ZIP = "Could not unzip uploaded file. Please check your file, then try to upload again."


def check_size(archive: zipfile.ZipFile, max_unzipped_bytes: int = MAX_UNZIPPED_BYTES,
               max_entries: int = MAX_ENTRIES) -> None:
    """Refuse, before extracting, a zip that would unzip to more than Lambda allows."""
    entries = archive.infolist()
    if len(entries) > max_entries:
        raise InvalidParameterValue(UNUSABLE_ZIP)
    if sum(entry.file_size for entry in entries) > max_unzipped_bytes:
        raise InvalidParameterValue(f"Unzipped size must be smaller than {max_unzipped_bytes} bytes")


def code_dir(code: bytes, *, max_unzipped_bytes: int = MAX_UNZIPPED_BYTES, max_entries: int = MAX_ENTRIES) -> Path:
    """The extracted code's directory (LAMBDA_TASK_ROOT), extracting it on first use.

    InvalidParameterValue when the zip would unzip to more than `max_unzipped_bytes` or holds more than
    `max_entries` entries (nothing is extracted then)."""
    return _extracted("code", hashlib.sha256(code).hexdigest(), (code,), max_unzipped_bytes, max_entries)


def layers_dir(layers: tuple[bytes, ...]) -> Path | None:
    """The function's layers extracted in order into one directory (Lambda's /opt: a later layer's file
    replaces an earlier one's), or None without layers."""
    if not layers:
        return None
    key = hashlib.sha256(b"".join(hashlib.sha256(layer).digest() for layer in layers)).hexdigest()
    return _extracted("opt", key, layers, MAX_UNZIPPED_BYTES, MAX_ENTRIES)


def _extracted(kind: str, key: str, codes: tuple[bytes, ...], max_unzipped_bytes: int, max_entries: int) -> Path:
    root = settings().state_dir / "lambda" / kind
    target = root / key
    if target.is_dir():
        return target
    archives = []
    for code in codes:
        try:
            archive = zipfile.ZipFile(io.BytesIO(code))
        except zipfile.BadZipFile:
            continue  # empty code: the import of the handler then fails as Runtime.ImportModuleError
        check_size(archive, max_unzipped_bytes, max_entries)
        archives.append(archive)

    def extract(staging: Path) -> None:
        for archive in archives:
            with archive:
                try:
                    archive.extractall(staging)
                except (zipfile.BadZipFile, NotImplementedError) as exc:  # bad CRC, unknown compression...
                    raise InvalidParameterValue(UNUSABLE_ZIP) from exc

    return built_once(target, extract)


def built_once(target: Path, fill) -> Path:
    """`target`, filled by `fill(staging)` in a fresh directory beside it and renamed into place: atomic, so
    concurrent cold starts never see half a tree; a concurrent build that won the rename is kept."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".build-"))
    try:
        fill(staging)
        os.rename(staging, target)
    except OSError:
        if not target.is_dir():
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
