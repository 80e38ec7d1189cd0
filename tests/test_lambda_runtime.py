"""The Lambda runtime: `lambda:Invoke` through boto3 runs the deployed zip's real code (tests/functions/)."""

from __future__ import annotations

import base64
import io
import json
import os
import re
import signal
import uuid
import zipfile
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import boto3
import pytest
import requests
from botocore.exceptions import ClientError

from aws_endpoint.lambda_runtime import code_cache
from aws_endpoint.lambda_runtime.errors import InvalidParameterValue
from sandbox.aws import client
from sandbox.config import settings
from sandbox.provision import zip_source
from tests.lambda_fixtures import lam, role_arn, wait_for  # noqa: F401 (fixtures)
from tests.sandbox_process import start_sandbox

ACCOUNT = "123456789012"


@pytest.fixture(scope="module")
def deploy(lam, role_arn):
    """Create a function from a folder of tests/functions/ under a fresh name; delete it afterwards."""
    created = []

    def create(source: str, handler: str = "handler.lambda_handler", timeout: int = 3,
               environment: dict | None = None) -> str:
        name = f"lrt-{source.replace('_', '-')}-{uuid.uuid4().hex[:8]}"
        lam.create_function(FunctionName=name, Runtime="python3.12", Role=role_arn, Handler=handler,
                            Timeout=timeout, Code={"ZipFile": zip_source(f"tests/functions/{source}")},
                            Environment={"Variables": environment or {}})
        created.append(name)
        return name

    yield create
    for name in created:
        lam.delete_function(FunctionName=name)


def call(lam, name: str, event=None, **kwargs) -> tuple[dict, object]:
    """Invoke synchronously; return the response and its decoded payload."""
    response = lam.invoke(FunctionName=name, Payload=json.dumps(event if event is not None else {}), **kwargs)
    return response, json.loads(response["Payload"].read())




# -- handled results ----------------------------------------------------------------------------------

def test_invoke_runs_the_deployed_code_with_its_environment_and_returns_its_result(lam, deploy):
    name = deploy("echo", environment={"GREETING": "hello"})
    response, result = call(lam, name, {"order": 42})

    assert response["StatusCode"] == 200
    assert "FunctionError" not in response
    assert response["ExecutedVersion"] == "$LATEST"
    assert result["event"] == {"order": 42}
    env = result["environment"]
    assert env["GREETING"] == "hello"
    assert env["AWS_LAMBDA_FUNCTION_NAME"] == name
    assert env["AWS_LAMBDA_FUNCTION_VERSION"] == "$LATEST"
    assert env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "128"
    assert env["AWS_REGION"] == env["AWS_DEFAULT_REGION"] == settings().aws_region
    assert env["AWS_LAMBDA_LOG_GROUP_NAME"] == f"/aws/lambda/{name}"
    assert env["_HANDLER"] == "handler.lambda_handler"
    assert env["AWS_EXECUTION_ENV"] == "AWS_Lambda_python3.12"
    assert env["LAMBDA_TASK_ROOT"] == result["cwd"]
    assert env["AWS_ENDPOINT_URL"] == settings().aws_endpoint_url
    assert {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} <= env.keys()
    context = result["context"]
    assert context["aws_request_id"] == response["ResponseMetadata"]["RequestId"]
    assert context["function_name"] == name
    assert context["function_version"] == "$LATEST"
    assert context["invoked_function_arn"] == f"arn:aws:lambda:{settings().aws_region}:{ACCOUNT}:function:{name}"
    assert context["memory_limit_in_mb"] == "128"
    assert context["log_stream_name"] == env["AWS_LAMBDA_LOG_STREAM_NAME"]
    assert 0 < context["remaining_ms"] <= 3000


def test_function_code_sees_its_zip_and_the_libraries_but_not_the_sandbox(lam, deploy):
    name = deploy("echo", handler="handler.can_import_sandbox")
    _, result = call(lam, name)
    assert result == {"sandbox": False, "aws_endpoint": False, "boto3": True}


def test_second_invoke_reuses_the_warm_worker(lam, deploy):
    name = deploy("echo")
    _, first = call(lam, name)
    _, second = call(lam, name)
    assert second["pid"] == first["pid"]
    assert (first["invocations"], second["invocations"]) == (1, 2)


def test_invoke_by_arn_with_a_qualifier_passes_the_qualified_arn_to_the_function(lam, deploy):
    name = deploy("echo")
    arn = f"arn:aws:lambda:{settings().aws_region}:{ACCOUNT}:function:{name}"
    _, result = call(lam, arn, Qualifier="$LATEST")
    assert result["context"]["invoked_function_arn"] == f"{arn}:$LATEST"


def test_a_published_version_runs_as_that_version(lam, deploy):
    name = deploy("echo")
    version = lam.publish_version(FunctionName=name)["Version"]
    response, result = call(lam, name, Qualifier=version)
    assert response["ExecutedVersion"] == version
    assert result["environment"]["AWS_LAMBDA_FUNCTION_VERSION"] == version


def test_updated_code_and_configuration_run_on_the_next_invoke(lam, deploy):
    name = deploy("echo", environment={"GREETING": "before"})
    _, before = call(lam, name)
    assert before["environment"]["GREETING"] == "before"

    lam.update_function_configuration(FunctionName=name, Environment={"Variables": {"GREETING": "after"}})
    _, reconfigured = call(lam, name)
    assert reconfigured["environment"]["GREETING"] == "after"
    assert reconfigured["pid"] != before["pid"]

    lam.update_function_code(FunctionName=name, ZipFile=zip_source("tests/functions/slow"))
    _, recoded = call(lam, name)
    assert set(recoded) == {"pid"}  # the slow function's answer: the new code ran


# -- execution environments forked from the runtime's template (template.py) ---------------------------

def process_state(pid: int) -> str:
    """The process's state letter (R, S, Z...) from /proc, or "" once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0]
    except OSError:
        return ""


def ended(pid: int) -> bool:
    return process_state(pid) in ("", "Z", "X")


def test_each_environment_runs_the_module_init_with_the_functions_own_variables(lam, deploy):
    name = deploy("init_probe", environment={"GREETING": "hello", "TZ": "JST-9"})
    with ThreadPoolExecutor(2) as executor:
        first, second = executor.map(lambda _: call(lam, name, {"seconds": 1})[1], range(2))
    assert first["token"] != second["token"] and first["pid"] != second["pid"]  # one init per environment
    # What a started interpreter draws afresh is each environment's own, not the template's.
    assert first["random"] != second["random"]
    assert first["authkey"] != second["authkey"]
    for init in (first, second):
        assert "bootstrap.py template" in init["parent"]  # forked from the template
        assert init["greeting"] == "hello"
        assert init["utc_offset"] == 9 * 3600  # the function's TZ, as the C library saw it at init
        assert "/lambda/code/" in init["cwd"]
        # The module-level client took the function's region and endpoint, not anything of the template's.
        assert init["client_region"] == settings().aws_region
        assert init["endpoint"] == settings().backchannel(settings().aws_endpoint_url)
    _, again = call(lam, name)
    assert again["token"] in (first["token"], second["token"])  # warm: no second init


def holds(pid: int, text: str) -> bool:
    """Whether `text` is anywhere in the process's writable memory (its heap: live objects and freed ones)."""
    needle, found = text.encode(), False
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", buffering=0) as mem:
        for line in maps.read().splitlines():
            span, perms, *_ = line.split()
            start, end = (int(edge, 16) for edge in span.split("-"))
            if perms.startswith("rw"):
                try:
                    mem.seek(start)
                    found = found or needle in mem.read(end - start)
                except (OSError, ValueError, OverflowError):  # [vvar] and the like
                    pass
    return found


def test_the_template_keeps_nothing_of_the_variables_of_an_environment_it_forked(lam, deploy):
    # Every later environment (another function's) is a copy of the template's memory.
    secret = f"sEcReT{uuid.uuid4().hex}"
    _, init = call(lam, deploy("init_probe", environment={"API_KEY": secret}))
    assert "bootstrap.py template" in init["parent"]
    assert holds(init["pid"], secret)  # the environment has its variables (and the scan finds them)
    assert not holds(init["ppid"], secret)  # its template does not


def test_a_configuration_change_runs_the_init_again_with_the_new_variables(lam, deploy):
    name = deploy("init_probe", environment={"GREETING": "before"})
    _, before = call(lam, name)
    lam.update_function_configuration(FunctionName=name, Environment={"Variables": {"GREETING": "after"}})
    _, after = call(lam, name)
    assert (before["greeting"], after["greeting"]) == ("before", "after")
    assert after["token"] != before["token"]


def test_a_timed_out_environment_is_killed(lam, deploy):
    name = deploy("init_probe", timeout=1)
    _, warm = call(lam, name)
    response, error = call(lam, name, {"seconds": 30})
    assert error["errorType"] == "Sandbox.Timedout"
    assert wait_for(lambda: ended(warm["pid"])), process_state(warm["pid"])


def test_a_template_that_ends_is_replaced_and_its_environments_keep_serving(lam, deploy):
    name = deploy("init_probe")
    _, warm = call(lam, name)
    assert "bootstrap.py template" in warm["parent"]  # (else the parent is the AWS endpoint: not to be killed)
    template = warm["ppid"]
    os.kill(template, signal.SIGKILL)
    assert wait_for(lambda: ended(template))

    _, still = call(lam, name)
    assert still["token"] == warm["token"]  # the warm environment outlives its template
    with ThreadPoolExecutor(2) as executor:  # two at once: one more environment, from a new template
        inits = list(executor.map(lambda _: call(lam, name, {"seconds": 1})[1], range(2)))
    new = [init for init in inits if init["token"] != warm["token"]]
    assert len(new) == 1
    assert new[0]["ppid"] != template and "bootstrap.py template" in new[0]["parent"]


LEGACY_PROVIDER = """openssl_conf = init
[init]
providers = providers
[providers]
default = on
legacy = on
[on]
activate = 1
"""


def test_a_function_that_sets_openssl_conf_gets_an_openssl_that_read_it(lam, deploy, tmp_path):
    # OpenSSL reads its configuration once, when `import ssl` initialises it: in the template, before any
    # function's variables, so such an environment is started as its own interpreter.
    (tmp_path / "legacy.cnf").write_text(LEGACY_PROVIDER)
    _, result = call(lam, deploy("openssl_probe", environment={"OPENSSL_CONF": str(tmp_path / "legacy.cnf")}))
    assert result == {"md4": "31d6cfe0d16ae931b73c59d7e0c089c0"}  # MD4 of b"" (RFC 1320)


def test_a_function_that_ships_its_own_boto3_imports_that_copy(lam, deploy):
    # On Lambda the function's folder comes before the runtime's libraries: its boto3 wins. The template
    # has the runtime's imported, so such an environment is started as its own interpreter.
    name = deploy("ships_boto3")
    response, result = call(lam, name)
    assert "FunctionError" not in response
    assert result["version"] == "0.0.0-shipped"
    assert "/lambda/code/" in result["file"]


@pytest.mark.parametrize("stop", ["SIGTERM", "SIGKILL"])
def test_the_template_and_its_environments_end_with_the_sandbox(tmp_path, stop):
    offset = int(os.environ.get("SANDBOX_PORT_OFFSET", "0")) + 65
    other = start_sandbox(["--parts", "aws"], name="lambda-stop", env={
        "SANDBOX_PORT_OFFSET": str(offset), "SANDBOX_STATE_DIR": str(tmp_path / "state")})
    try:
        aws = {"endpoint_url": f"http://localhost:{4566 + offset}", "region_name": "us-east-1",
               "aws_access_key_id": "test", "aws_secret_access_key": "test"}
        lam, iam = boto3.client("lambda", **aws), boto3.client("iam", **aws)
        trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                         "Principal": {"Service": "lambda.amazonaws.com"}}]}
        role = iam.create_role(RoleName="lambda-stop", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
        lam.create_function(FunctionName="probe", Runtime="python3.12", Role=role, Handler="handler.lambda_handler",
                            Code={"ZipFile": zip_source("tests/functions/init_probe")})
        _, init = call(lam, "probe")
        assert "bootstrap.py template" in init["parent"]
    finally:
        if stop == "SIGKILL":  # a crash: nothing of the sandbox's shutdown runs
            other.proc.kill()
            other.proc.wait()
        else:
            other.stop()
    assert wait_for(lambda: ended(init["pid"]) and ended(init["ppid"])), (process_state(init["pid"]),
                                                                          process_state(init["ppid"]))


# -- errors as Lambda sends them ----------------------------------------------------------------------

def test_unhandled_exception_comes_back_in_lambdas_error_shape(lam, deploy):
    name = deploy("fail")
    response, error = call(lam, name, {"amount": 5})

    assert response["StatusCode"] == 200
    assert response["FunctionError"] == "Unhandled"
    assert set(error) == {"errorMessage", "errorType", "requestId", "stackTrace"}
    assert error["errorType"] == "PaymentDeclined"
    assert error["errorMessage"] == "card declined for 5"
    assert error["requestId"] == response["ResponseMetadata"]["RequestId"]
    assert [re.search(r", in (\w+)\n", frame).group(1) for frame in error["stackTrace"]] == ["lambda_handler", "charge"]
    assert all(frame.startswith('  File "') and "handler.py" in frame for frame in error["stackTrace"])


def test_timeout_answers_task_timed_out_and_the_next_invoke_starts_cold(lam, deploy, sandbox):
    name = deploy("slow", timeout=1)
    _, warm = call(lam, name)

    response, error = call(lam, name, {"seconds": 5})
    request_id = response["ResponseMetadata"]["RequestId"]
    assert response["FunctionError"] == "Unhandled"
    assert error == {"errorType": "Sandbox.Timedout",
                     "errorMessage": f"RequestId: {request_id} Error: Task timed out after 1.00 seconds"}
    # The log line reaches the sandbox's output through a pipe: poll for it rather than race it.
    assert wait_for(lambda: re.search(rf"\[{name}\] \S+Z {request_id} Task timed out after 1\.00 seconds",
                                      sandbox.output()))

    _, after = call(lam, name)
    assert after["pid"] != warm["pid"]


def test_a_worker_that_exits_mid_invoke_is_a_runtime_exit_error(lam, deploy):
    name = deploy("echo", handler="handler.exits")
    response, error = call(lam, name)
    request_id = response["ResponseMetadata"]["RequestId"]
    assert response["FunctionError"] == "Unhandled"
    assert error == {"errorType": "Runtime.ExitError",
                     "errorMessage": f"RequestId: {request_id} Error: Runtime exited with error: exit status 3"}


def test_a_module_that_fails_to_import_is_runtime_import_module_error(lam, deploy):
    name = deploy("broken_import")
    response, error = call(lam, name)
    assert response["FunctionError"] == "Unhandled"
    assert error == {"errorType": "Runtime.ImportModuleError", "requestId": "", "stackTrace": [],
                     "errorMessage": "Unable to import module 'handler': No module named 'not_a_packaged_dependency'"}


def test_a_missing_handler_function_is_runtime_handler_not_found(lam, deploy):
    name = deploy("echo", handler="handler.nowhere")
    response, error = call(lam, name)
    assert response["FunctionError"] == "Unhandled"
    assert error == {"errorType": "Runtime.HandlerNotFound", "requestId": "", "stackTrace": [],
                     "errorMessage": "Handler 'nowhere' missing on module 'handler'"}


def test_a_result_that_is_not_json_serialisable_is_runtime_marshal_error(lam, deploy):
    name = deploy("echo", handler="handler.returns_a_set")
    response, error = call(lam, name)
    assert response["FunctionError"] == "Unhandled"
    assert error == {"errorType": "Runtime.MarshalError", "stackTrace": [],
                     "requestId": response["ResponseMetadata"]["RequestId"],
                     "errorMessage": "Unable to marshal response: Object of type set is not JSON serializable"}


def test_unknown_function_is_resource_not_found(lam):
    with pytest.raises(ClientError) as raised:
        lam.invoke(FunctionName="lrt-no-such-function", Payload=b"{}")
    response = raised.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-errortype"] == "ResourceNotFoundException"
    assert response["Error"] == {
        "Code": "ResourceNotFoundException",
        "Message": f"Function not found: arn:aws:lambda:{settings().aws_region}:{ACCOUNT}:function:lrt-no-such-function"}
    assert isinstance(raised.value, lam.exceptions.ResourceNotFoundException)


def test_a_payload_that_is_not_json_is_invalid_request_content(lam, deploy):
    name = deploy("echo")
    with pytest.raises(lam.exceptions.InvalidRequestContentException) as raised:
        lam.invoke(FunctionName=name, Payload=b"{not json")
    response = raised.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["Error"]["Code"] == "InvalidRequestContentException"
    assert response["Error"]["Message"].startswith("Could not parse request body into json: Could not parse payload into json: ")


# -- invocation types, logs and the function's own AWS calls ----------------------------------------------

def test_dry_run_answers_204_and_runs_nothing(lam, deploy):
    name = deploy("echo")
    assert lam.invoke(FunctionName=name, InvocationType="DryRun", Payload=b"{}")["StatusCode"] == 204
    _, result = call(lam, name)
    assert result["invocations"] == 1


def test_function_log_lines_reach_the_sandbox_output_and_the_log_tail(lam, deploy, sandbox):
    name = deploy("chatty")
    marker = uuid.uuid4().hex
    response = lam.invoke(FunctionName=name, Payload=json.dumps({"marker": marker}), LogType="Tail")
    request_id = response["ResponseMetadata"]["RequestId"]

    tail = base64.b64decode(response["LogResult"]).decode().splitlines()
    assert tail[0] == f"START RequestId: {request_id} Version: $LATEST"
    assert f"printed {marker}" in tail and f"to stderr {marker}" in tail
    assert re.fullmatch(rf"\[INFO\]\t\S+Z\t{request_id}\tlogged {marker}", tail[tail.index(f"to stderr {marker}") + 1])
    assert tail[-2] == f"END RequestId: {request_id}"
    assert tail[-1].startswith(f"REPORT RequestId: {request_id}\tDuration: ")

    expected = [f"[{name}] printed {marker}", f"[{name}] to stderr {marker}", f"[{name}] END RequestId: {request_id}"]
    assert wait_for(lambda: all(line in sandbox.output() for line in expected))


def test_function_boto3_reaches_the_sandbox_dynamodb(lam, deploy):
    table = f"lrt-users-{uuid.uuid4().hex[:8]}"
    ddb = client("dynamodb")
    ddb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "userName", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "userName", "AttributeType": "S"}])
    try:
        name = deploy("dynamodb", environment={"TABLE": table}, timeout=10)
        response, item = call(lam, name, {"userName": "alice"})
        assert "FunctionError" not in response, item
        request_id = response["ResponseMetadata"]["RequestId"]
        assert item == {"userName": "alice", "requestId": request_id}
        stored = ddb.get_item(TableName=table, Key={"userName": {"S": "alice"}})["Item"]
        assert stored == {"userName": {"S": "alice"}, "requestId": {"S": request_id}}

        # An Event invocation answers 202 at once and runs in the background.
        accepted = lam.invoke(FunctionName=name, InvocationType="Event", Payload=json.dumps({"userName": "bob"}))
        assert accepted["StatusCode"] == 202
        assert wait_for(lambda: ddb.get_item(TableName=table, Key={"userName": {"S": "bob"}}).get("Item"))

        # InvokeAsync (deprecated for the Event invocation, still served) queues one the same way.
        queued = lam.invoke_async(FunctionName=name, InvokeArgs=json.dumps({"userName": "carol"}).encode())
        assert (queued["ResponseMetadata"]["HTTPStatusCode"], queued["Status"]) == (202, 202)
        raw = requests.post(f"{settings().aws_endpoint_url}/2014-11-13/functions/{name}/invoke-async/", timeout=10,
                            data=json.dumps({"userName": "dave"}), headers={"Authorization": (
                                "AWS4-HMAC-SHA256 Credential=test/20261201/us-east-1/lambda/aws4_request, "
                                "SignedHeaders=host, Signature=0")})
        assert (raw.status_code, raw.content) == (202, b"")  # "Upon success, it returns empty response"
        assert wait_for(lambda: ddb.get_item(TableName=table, Key={"userName": {"S": "carol"}}).get("Item"))
    finally:
        ddb.delete_table(TableName=table)


def test_invoke_async_of_an_unknown_function_is_resource_not_found(lam):
    with pytest.raises(ClientError) as caught:
        lam.invoke_async(FunctionName="no-such-function", InvokeArgs=b"{}")
    assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_updating_the_url_of_a_function_without_one_is_resource_not_found(lam, deploy):
    name = deploy("dynamodb")
    for call_url in (lambda: lam.get_function_url_config(FunctionName=name),
                     lambda: lam.update_function_url_config(FunctionName=name, AuthType="NONE")):
        with pytest.raises(ClientError) as caught:
            call_url()
        assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_concurrent_invokes_run_in_separate_workers(lam, deploy):
    name = deploy("slow")
    with ThreadPoolExecutor(2) as executor:
        results = list(executor.map(lambda _: call(lam, name, {"seconds": 1})[1], range(2)))
    assert results[0]["pid"] != results[1]["pid"]


# -- the deployment package's unzipped size (Lambda quota: 250 MB, 262144000 bytes) -------------------------

def zeros_zip(entries: dict[str, int], extra: dict[str, bytes] | None = None) -> bytes:
    """A zip of `name: size` entries of zero bytes, deflated (a 250 MB entry is ~250 KB), plus `extra` files."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
        for name, size in entries.items():
            with archive.open(name, "w", force_zip64=True) as entry:
                chunk = bytes(1 << 20)
                for offset in range(0, size, len(chunk)):
                    entry.write(chunk[:size - offset])
    return buf.getvalue()


@pytest.fixture
def code_root(tmp_path, monkeypatch):
    monkeypatch.setattr(code_cache, "settings", lambda: SimpleNamespace(state_dir=tmp_path))
    return tmp_path / "lambda" / "code"


def test_a_zip_that_unzips_past_the_limit_is_refused_before_anything_is_extracted(code_root):
    bomb = zeros_zip({"a.bin": 1 << 20, "b.bin": (1 << 20) + 1})  # 2 MiB + 1 declared, ~4 KB zipped
    assert len(bomb) < 16_384
    with pytest.raises(InvalidParameterValue) as raised:
        code_cache.code_dir(bomb, max_unzipped_bytes=2 << 20)
    assert (raised.value.status, raised.value.code) == (400, "InvalidParameterValueException")
    assert raised.value.message == f"Unzipped size must be smaller than {2 << 20} bytes"
    assert not code_root.exists() or not any(code_root.iterdir())  # no directory, no staging left behind


def test_a_zip_at_the_unzipped_limit_is_extracted(code_root):
    task_root = code_cache.code_dir(zeros_zip({"a.bin": 1 << 20}), max_unzipped_bytes=1 << 20)
    assert (task_root / "a.bin").stat().st_size == 1 << 20


def test_a_zip_with_an_absurd_number_of_entries_is_refused_before_anything_is_extracted(code_root):
    many = zeros_zip({}, extra={f"f{i}.py": b"" for i in range(11)})
    with pytest.raises(InvalidParameterValue) as raised:
        code_cache.code_dir(many, max_entries=10)
    assert raised.value.message == "Could not unzip uploaded file. Please check your file, then try to upload again."
    assert not code_root.exists() or not any(code_root.iterdir())


def test_invoking_a_function_whose_zip_unzips_past_250_mb_is_lambdas_invalid_parameter_value(lam, role_arn):
    handler = b"def lambda_handler(event, context):\n    return 'ran'\n"
    bomb = zeros_zip({"padding.bin": code_cache.MAX_UNZIPPED_BYTES + 1}, extra={"handler.py": handler})
    assert len(bomb) < 1 << 20
    name = f"lrt-bomb-{uuid.uuid4().hex[:8]}"
    lam.create_function(FunctionName=name, Runtime="python3.12", Role=role_arn, Handler="handler.lambda_handler",
                        Code={"ZipFile": bomb})
    try:
        with pytest.raises(lam.exceptions.InvalidParameterValueException) as raised:
            lam.invoke(FunctionName=name, Payload=b"{}")
    finally:
        lam.delete_function(FunctionName=name)
    response = raised.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["Error"] == {"Code": "InvalidParameterValueException",
                                 "Message": "Unzipped size must be smaller than 262144000 bytes"}
