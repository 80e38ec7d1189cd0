"""Lambda's Python runtime as AWS gives it: a function sees its zip, its layers, the standard library and
the SDK the runtime includes (boto3, botocore and their dependencies), nothing of the sandbox's virtualenv.

AWS: "Working with .zip file archives for Python Lambda functions" (dependency search path and
runtime-included libraries); a module neither shipped nor included is Runtime.ImportModuleError.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import uuid
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from aws_endpoint.lambda_runtime.python_runtime import RUNTIME_DISTRIBUTIONS, top_level_names
from sandbox.aws import client
from sandbox.provision import zip_source

ROLE_NAME = "lambda-runtime-tests"


@pytest.fixture(scope="module")
def lam(sandbox):
    return client("lambda")


@pytest.fixture(scope="module")
def role_arn(sandbox):
    iam = client("iam")
    try:
        return iam.get_role(RoleName=ROLE_NAME)["Role"]["Arn"]
    except iam.exceptions.NoSuchEntityException:
        trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                         "Principal": {"Service": "lambda.amazonaws.com"}}]}
        return iam.create_role(RoleName=ROLE_NAME, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]


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
        assert "Lambda runtime python3.12: python3.12 is not on PATH; its functions run on Python" in sandbox.output()
        assert Path(result["executable"]).name.startswith("python")
