"""Lambda's Python runtime as AWS gives it: a function sees its zip, its layers, the standard library and
the SDK the runtime includes (boto3, botocore and their dependencies), nothing of the sandbox's virtualenv.

AWS: "Working with .zip file archives for Python Lambda functions" (dependency search path and
runtime-included libraries); a module neither shipped nor included is Runtime.ImportModuleError.
"""

from __future__ import annotations

import glob
import io
import json
import os
import re
import shutil
import subprocess
import sys
import uuid
import zipfile
from importlib import metadata
from pathlib import Path

import boto3
import pytest

from aws_endpoint.lambda_runtime import template
from aws_endpoint.lambda_runtime.python_runtime import RUNTIME_DISTRIBUTIONS, top_level_names
from sandbox.provision import zip_source
from tests.lambda_fixtures import lam, role_arn  # noqa: F401 (fixtures)
from tests.sandbox_process import start_sandbox



@pytest.fixture(scope="module")
def deploy(lam, role_arn):
    """Create a function from a zip under a fresh name; delete it (and its layers) afterwards."""
    created, layers = [], []

    def create(code: bytes, runtime: str = "python3.12", layer_zips: tuple[bytes, ...] = ()) -> str:
        name = f"lpr-{uuid.uuid4().hex[:10]}"
        arns = []
        for layer_zip in layer_zips:
            layer = lam.publish_layer_version(LayerName=f"{name}-layer", Content={"ZipFile": layer_zip},
                                              CompatibleRuntimes=[runtime])
            layers.append((layer["LayerArn"], layer["Version"]))
            arns.append(layer["LayerVersionArn"])
        lam.create_function(FunctionName=name, Runtime=runtime, Role=role_arn, Handler="handler.lambda_handler",
                            Timeout=10, Code={"ZipFile": code}, Layers=arns)
        created.append(name)
        return name

    yield create
    for name in created:
        lam.delete_function(FunctionName=name)
    for arn, version in layers:
        lam.delete_layer_version(LayerName=arn, VersionNumber=version)


def call(lam, name: str, event=None) -> tuple[dict, object]:
    response = lam.invoke(FunctionName=name, Payload=json.dumps(event or {}))
    return response, json.loads(response["Payload"].read())


def with_package(code: bytes, distribution: str, prefix: str = "") -> bytes:
    """`code` with an installed distribution's top-level packages added under `prefix` (pip install -t)."""
    dist = metadata.distribution(distribution)
    tops = top_level_names(dist)
    buf = io.BytesIO(code)
    with zipfile.ZipFile(buf, "a") as zf:
        for path in dist.files:
            if path.parts[0] in tops and "__pycache__" not in path.parts:
                zf.write(dist.locate_file(path), prefix + str(path))
    return buf.getvalue()


def empty_zip() -> bytes:
    buf = io.BytesIO()
    zipfile.ZipFile(buf, "w").close()
    return buf.getvalue()


def test_a_package_the_function_did_not_ship_is_runtime_import_module_error(lam, deploy):
    # PyJWT is installed in the sandbox's virtualenv; on AWS the function cannot import it.
    name = deploy(zip_source("tests/functions/uses_pyjwt"))
    response, error = call(lam, name)
    assert response["FunctionError"] == "Unhandled"
    assert error == {"errorType": "Runtime.ImportModuleError", "requestId": "", "stackTrace": [],
                     "errorMessage": "Unable to import module 'handler': No module named 'jwt'"}


def test_a_package_shipped_in_the_zip_is_imported_from_the_zip(lam, deploy):
    name = deploy(with_package(zip_source("tests/functions/uses_pyjwt"), "PyJWT"))
    response, result = call(lam, name, {"sub": "alice"})
    assert "FunctionError" not in response
    assert result["token"].count(".") == 2
    assert "/lambda/code/" in result["jwt_from"]  # the function's extracted zip (LAMBDA_TASK_ROOT)


def test_a_package_shipped_in_a_layer_is_imported_from_the_layer(lam, deploy):
    layer = with_package(empty_zip(), "PyJWT", prefix="python/")
    name = deploy(zip_source("tests/functions/uses_pyjwt"), layer_zips=(layer,))
    response, result = call(lam, name)
    assert "FunctionError" not in response
    assert "/lambda/opt/" in result["jwt_from"] and "/python/jwt/" in result["jwt_from"]


def test_a_layer_in_the_versioned_site_packages_folder_is_on_the_path(lam, deploy):
    layer = with_package(empty_zip(), "PyJWT", prefix="python/lib/python3.12/site-packages/")
    name = deploy(zip_source("tests/functions/uses_pyjwt"), layer_zips=(layer,))
    response, result = call(lam, name)
    assert "FunctionError" not in response
    assert "/python/lib/python3.12/site-packages/jwt/" in result["jwt_from"]


def test_the_runtime_includes_the_sdk_and_the_standard_library_and_nothing_of_the_sandbox(lam, deploy):
    sdk = ["boto3", "botocore", "jmespath", "dateutil", "s3transfer", "six", "urllib3"]
    sandbox_only = ["requests", "django", "jwt", "moto", "werkzeug", "cryptography", "waitress", "sandbox",
                    "aws_endpoint", "trigger"]
    name = deploy(zip_source("tests/functions/environment_probe"))
    response, result = call(lam, name, {"modules": ["json", "sqlite3", *sdk, *sandbox_only]})
    assert "FunctionError" not in response
    modules = result["modules"]
    assert all(not modules[m].startswith("ImportError") for m in ["json", "sqlite3", *sdk]), modules
    assert {m: modules[m] for m in sandbox_only} == {m: f"ImportError: No module named '{m}'" for m in sandbox_only}
    assert not any("site-packages" in entry for entry in result["path"])
    assert "/lambda/code/" in result["path"][0]  # the function's code first, as /var/task on Lambda


def test_the_runtime_libraries_are_exactly_the_sdk_distributions(sandbox):
    from aws_endpoint.lambda_runtime.python_runtime import runtime_libraries

    expected = set()
    for name in RUNTIME_DISTRIBUTIONS:
        expected |= top_level_names(metadata.distribution(name))
    entries = {p.name for p in runtime_libraries().iterdir()
               if not p.name.endswith(".dist-info") and p.name != "__pycache__"}
    assert entries == expected
    assert {"boto3", "botocore", "dateutil", "six.py"} <= entries


def _python_on_path(version: str) -> bool:
    found = shutil.which(f"python{version}")
    if not found:
        return False
    out = subprocess.run([found, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], capture_output=True,
                         text=True)
    return out.returncode == 0 and out.stdout.strip() == version


def test_the_interpreter_is_the_one_the_runtime_names_or_the_fallback_is_said(lam, deploy, sandbox):
    name = deploy(zip_source("tests/functions/environment_probe"), runtime="python3.12")
    response, result = call(lam, name)
    assert "FunctionError" not in response
    if _python_on_path("3.12"):
        assert result["version"] == "3.12"
    else:
        own = "%d.%d" % sys.version_info[:2]
        assert re.search(rf"\[sandbox\] Lambda runtime python3\.12: .+; its functions run on Python {own} ",
                         sandbox.output()), sandbox.output()[-2000:]
        assert Path(result["executable"]).name.startswith("python")


def another_python() -> tuple[str, str] | None:
    """(path, "X.Y") of a working Python other than this one on this machine (pyenv's, the system's)."""
    own = "%d.%d" % sys.version_info[:2]
    paths = glob.glob("/root/.pyenv/versions/3.*/bin/python3.*") + glob.glob("/usr/bin/python3.*") + glob.glob(
        "/usr/local/bin/python3.*")
    found = [(match.group(1), path) for path in paths if (match := re.search(r"python(3\.(\d+))$", path))]
    # The newest first: the sandbox's boto3 and urllib3 need a recent Python.
    for _, path in sorted(found, key=lambda item: -int(item[0].split(".")[1])):
        match = re.search(r"python(3\.\d+)$", path)
        if match and match.group(1) != own:
            out = subprocess.run([path, "-I", "-S", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                 capture_output=True, text=True)
            if out.returncode == 0 and out.stdout.strip() == match.group(1):
                return path, match.group(1)
    return None


def test_a_function_runs_on_the_python_its_runtime_names_when_that_interpreter_is_on_path(tmp_path):
    found = another_python()
    if found is None:
        pytest.skip("this machine has no Python but the sandbox's own")
    path, version = found
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / f"python{version}").symlink_to(path)
    offset = int(os.environ.get("SANDBOX_PORT_OFFSET", "0")) + 85
    other = start_sandbox(["--parts", "aws"], name="lambda-python", env={
        "SANDBOX_PORT_OFFSET": str(offset), "SANDBOX_STATE_DIR": str(tmp_path / "state"),
        "PATH": f"{bin_dir}:{os.environ.get('PATH', '')}"})
    try:
        endpoint = f"http://localhost:{4566 + offset}"
        aws = {"endpoint_url": endpoint, "region_name": "us-east-1", "aws_access_key_id": "test",
               "aws_secret_access_key": "test"}
        lam, iam = boto3.client("lambda", **aws), boto3.client("iam", **aws)
        trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                         "Principal": {"Service": "lambda.amazonaws.com"}}]}
        role = iam.create_role(RoleName="lambda-python", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
        lam.create_function(FunctionName="probe", Runtime=f"python{version}", Role=role, Timeout=10,
                            Handler="handler.lambda_handler",
                            Code={"ZipFile": zip_source("tests/functions/environment_probe")})
        response, result = call(lam, "probe", {"modules": ["boto3"]})
        assert "FunctionError" not in response
        assert result["version"] == version
        assert not result["modules"]["boto3"].startswith("ImportError")
        assert "[sandbox] Lambda runtime" not in other.output()  # no fallback said
    finally:
        other.stop()


@pytest.mark.skipif(not template.SUPPORTED, reason="environments are forked from a template on Linux only")
def test_a_forked_environment_s_sessions_share_the_botocore_data_the_template_read(lam, deploy):
    # The template reads botocore's data files once (bootstrap.py share_botocore_data); each Session is
    # still the function's own, and one with its own AWS_DATA_PATH gets a loader of its own.
    name = deploy(zip_source("tests/functions/botocore_data"))
    response, result = call(lam, name)
    assert "FunctionError" not in response, result
    assert result["shared"] and result["own_loader_for_a_data_path"]
    assert result["reads"] == []  # the first DynamoDB client read no data file: all read in the template
    paths = result["search_paths"]
    assert len(paths) == len(set(paths)) and any(p.endswith("/boto3/data") for p in paths)
    assert result["own_search_paths"][0] == "/nonexistent/models"
    assert result["listed_tables"] and result["region"] == result["lambda_region"]
