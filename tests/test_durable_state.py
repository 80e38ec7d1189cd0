"""Durable state (sandbox/state.py): what users made survives a clean stop, a crash, and is wiped on purpose.

Each test runs its own sandbox beside the session's (SANDBOX_PORT_OFFSET + 500) with its own state dir,
stops it (SIGTERM as Ctrl-C / `docker compose down` do, or SIGKILL as a crash does), starts it again on
the same state dir, and looks through the AWS API, the mock Okta and a browser that held on to its cookies.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import boto3
import pytest
import requests

from sandbox.testing.browser import Browser, urls_at_offset
from sandbox.testing.okta import create_okta_user
from sandbox import state
from sandbox.provision import zip_source
from tests.sandbox_process import ROOT, start_sandbox

OFFSET = int(os.environ.get("SANDBOX_PORT_OFFSET", "0")) + 500  # beside the session's sandbox
URLS = urls_at_offset(OFFSET)
FUNCTION = "def handler(event, context):\n    return {'made': 'by a user', 'echo': event}\n"


def env_for(state_dir: Path) -> dict:
    return {"SANDBOX_PORT_OFFSET": str(OFFSET), "SANDBOX_STATE_DIR": str(state_dir)}


def aws(service: str):
    return boto3.client(service, endpoint_url=URLS.aws_endpoint_url, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test")


def provisioned(state_dir: Path) -> dict:
    """`manage.py provision --json` against the sandbox: every id, the app clients' secrets."""
    out = subprocess.run([sys.executable, "manage.py", "provision", "--json"], cwd=ROOT, check=True,
                         capture_output=True, text=True, env={**os.environ, **env_for(state_dir)}, timeout=60)
    return json.loads(out.stdout)


def health_urls() -> list[str]:
    return [URLS.aws_endpoint_url + "/_sandbox/health", URLS.okta_public_url + "/health",
            URLS.cognito_hosted_ui_url + "/health"]


def wait_until_flushed(deadline_seconds: float = 20) -> None:
    """Until every party's state file holds every change made so far (health: generation vs flushed)."""
    deadline = time.monotonic() + deadline_seconds
    for url in health_urls():
        wait_until_flushed_at(url, deadline)


def wait_until_flushed_at(url: str, deadline: float | None = None) -> None:
    deadline = time.monotonic() + 20 if deadline is None else deadline
    target = requests.get(url, timeout=5).json()["state"]["generation"]
    while requests.get(url, timeout=5).json()["state"]["flushed"] < target:
        assert time.monotonic() < deadline, f"{url} did not flush generation {target}"
        time.sleep(0.05)


def zipped(source: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", source)
    return buffer.getvalue()


def make_things(ids: dict) -> dict:
    """What a developer makes in a day: a signed-in user, a group, records, an app client, a function,
    an Okta user through the Users API. Returns what to look for afterwards."""
    browser = Browser(timeout=30, urls=URLS)
    signed_in = browser.sign_in("alice@example.com")
    assert signed_in.ok and signed_in.api_status == 200, (signed_in.page.url, signed_in.error)
    idp, ddb, lam = aws("cognito-idp"), aws("dynamodb"), aws("lambda")
    pool = ids["user_pool_id"]
    alice = idp.list_users(UserPoolId=pool, Filter='email = "alice@example.com"')["Users"][0]["Username"]
    idp.create_group(UserPoolId=pool, GroupName="durable-admins", Description="made before the restart")
    idp.admin_add_user_to_group(UserPoolId=pool, Username=alice, GroupName="durable-admins")
    ddb.put_item(TableName=ids["user_table"], Item={"userName": {"S": "durable-record"}, "note": {"S": "kept"}})
    app_client = idp.create_user_pool_client(UserPoolId=pool, ClientName="durable-app", GenerateSecret=True,
                                             CallbackURLs=["https://app.example.com/cb"])["UserPoolClient"]
    role = lam.get_function(FunctionName=next(iter(ids["functions"])))["Configuration"]["Role"]
    lam.create_function(FunctionName="durable-fn", Runtime="python3.12", Role=role, Handler="app.handler",
                        Code={"ZipFile": zipped(FUNCTION)})
    okta_user = create_okta_user(first="Durable", org_url=URLS.okta_public_url).login
    return {"browser": browser, "alice": alice, "app_client": app_client, "okta_user": okta_user}


def assert_all_there(ids: dict, made: dict, state_dir: Path) -> None:
    idp, ddb, lam = aws("cognito-idp"), aws("dynamodb"), aws("lambda")
    pool = ids["user_pool_id"]
    # Provisioning finds everything and changes nothing: same ids, same client secrets.
    assert provisioned(state_dir) == ids
    groups = idp.admin_list_groups_for_user(UserPoolId=pool, Username=made["alice"])["Groups"]
    assert "durable-admins" in [g["GroupName"] for g in groups]
    alice = idp.admin_get_user(UserPoolId=pool, Username=made["alice"])
    assert alice["UserStatus"] == "EXTERNAL_PROVIDER"
    record = ddb.get_item(TableName=ids["user_table"], Key={"userName": {"S": "durable-record"}})["Item"]
    assert record["note"] == {"S": "kept"}
    presignup_record = ddb.get_item(TableName=ids["user_table"], Key={"userName": {"S": made["alice"]}})
    assert "Item" in presignup_record
    client = idp.describe_user_pool_client(UserPoolId=pool, ClientId=made["app_client"]["ClientId"])
    assert client["UserPoolClient"]["ClientSecret"] == made["app_client"]["ClientSecret"]
    answer = lam.invoke(FunctionName="durable-fn", Payload=b'{"n": 1}')
    assert json.loads(answer["Payload"].read()) == {"made": "by a user", "echo": {"n": 1}}
    # The browser that held its cookies is still signed in and reaches its profile (API call included).
    profile = made["browser"].open(URLS.demo_site_url + "/profile/")
    assert profile.on_profile and profile.api_status == 200, (profile.page.url, profile.page.status_code)
    # Its refresh token (in the demo site's session) still works at the hosted UI's token endpoint.
    refreshed = requests.post(URLS.cognito_hosted_ui_url + "/oauth2/token", timeout=20,
                              auth=(ids["client_id"], ids["client_secret"]),
                              data={"grant_type": "refresh_token",
                                    "refresh_token": demo_tokens(state_dir, made["browser"])["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.text
    assert refreshed.json()["token_type"] == "Bearer" and refreshed.json()["access_token"]
    # The Okta user made through the Users API can sign in (a new browser: the whole flow again).
    fresh = Browser(timeout=30, urls=URLS).sign_in(made["okta_user"])
    assert fresh.ok, (fresh.page.url, fresh.error)


def demo_tokens(state_dir: Path, browser: Browser) -> dict:
    """The tokens the demo site keeps in the browser's server-side session (its SQLite database)."""
    from django.contrib.sessions.backends.db import SessionStore

    key = browser.session.cookies["demo_sessionid"]
    with sqlite3.connect(state_dir / f"demo-{8000 + OFFSET}.sqlite3") as db:
        (data,) = db.execute("SELECT session_data FROM django_session WHERE session_key = ?", (key,)).fetchone()
    return SessionStore().decode(data)["demo_tokens"]


@pytest.fixture
def state_dir(tmp_path):
    return tmp_path / "state"


def test_a_sandbox_stopped_with_sigterm_comes_back_with_everything_users_made(state_dir):
    running = start_sandbox(env=env_for(state_dir), name="durable-sigterm")
    try:
        ids = provisioned(state_dir)
        made = make_things(ids)
        assert running.stop() == 0  # SIGTERM: Ctrl-C's and `docker compose down`'s clean stop
        running = start_sandbox(env=env_for(state_dir), name="durable-sigterm", fresh=False)
        assert_all_there(ids, made, state_dir)
    finally:
        running.stop()


def test_a_sandbox_killed_with_sigkill_keeps_every_write_already_flushed(state_dir):
    running = start_sandbox(env=env_for(state_dir), name="durable-sigkill")
    try:
        ids = provisioned(state_dir)
        made = make_things(ids)
        wait_until_flushed()  # at most a second after the last write
        running.proc.kill()  # a crash: no chance to save anything more
        running.proc.wait()
        running = start_sandbox(env=env_for(state_dir), name="durable-sigkill", fresh=False)
        assert_all_there(ids, made, state_dir)
    finally:
        running.stop()


def test_a_sign_in_under_way_at_okta_finishes_after_a_restart(state_dir):
    idp_response = URLS.cognito_hosted_ui_url + "/oauth2/idpresponse"
    running = start_sandbox(env=env_for(state_dir), name="durable-midway")
    try:
        browser = Browser(timeout=30, urls=URLS)
        halfway = browser.sign_in("bob@example.com", stop_before=lambda url: url.startswith(idp_response))
        assert halfway.stopped_before, [h.url for h in halfway.hops]  # Okta's redirect, not yet followed
        running.stop()
        running = start_sandbox(env=env_for(state_dir), name="durable-midway", fresh=False)

        resumed = browser.open(halfway.stopped_before)

        assert resumed.page.url.startswith(URLS.demo_site_url), [(h.url, h.status) for h in resumed.hops]
        profile = browser.open(URLS.demo_site_url + "/profile/")
        assert profile.on_profile and profile.api_status == 200, (profile.page.url, profile.page.status_code)
    finally:
        running.stop()


def test_the_demo_site_reads_a_new_client_secret_when_the_token_endpoint_refuses_the_old_one(state_dir):
    running = start_sandbox(env=env_for(state_dir), name="durable-secret")
    try:
        ids = provisioned(state_dir)
        assert Browser(timeout=30, urls=URLS).sign_in("alice@example.com").ok
        # The AWS state is wiped under a running demo site: provisioning makes the app client anew, with
        # the same id (moto's HASH strategy) and a new secret.
        aws("cognito-idp").delete_user_pool_client(UserPoolId=ids["user_pool_id"], ClientId=ids["client_id"])
        again = provisioned(state_dir)
        assert again["client_id"] == ids["client_id"] and again["client_secret"] != ids["client_secret"]

        result = Browser(timeout=30, urls=URLS).sign_in("alice@example.com")

        assert result.ok, (result.page.url, result.page.status_code, result.error)
    finally:
        running.stop()


SKIPPED = "provisioning skipped"


def test_a_restart_on_saved_state_skips_provisioning_and_provisioning_then_finds_everything_unchanged(state_dir):
    running = start_sandbox(env=env_for(state_dir), name="durable-skip")
    try:
        assert SKIPPED not in running.output()  # from nothing: provisioned
        ids = provisioned(state_dir)
        table_arn = aws("dynamodb").describe_table(TableName=ids["user_table"])["Table"]["TableArn"]
        tags = aws("dynamodb").list_tags_of_resource(ResourceArn=table_arn)["Tags"]
        running.stop()
        running = start_sandbox(env=env_for(state_dir), name="durable-skip", fresh=False)

        assert SKIPPED in running.output()
        assert f"{ids['user_pool_id']} / {ids['client_id']}" in running.output()  # the table, from the saved ids
        assert provisioned(state_dir) == ids  # nothing was missing
        assert aws("dynamodb").list_tags_of_resource(ResourceArn=table_arn)["Tags"] == tags  # nor changed
        result = Browser(timeout=30, urls=URLS).sign_in("alice@example.com")
        assert result.ok and result.api_status == 200, (result.page.url, result.error)
    finally:
        running.stop()


def test_a_provisioning_since_the_last_start_or_a_changed_function_source_makes_the_next_start_provision(
        state_dir, tmp_path):
    running = start_sandbox(env=env_for(state_dir), name="durable-reprovision")
    try:
        ids = provisioned(state_dir)
        aws("cognito-idp").delete_user_pool_client(UserPoolId=ids["user_pool_id"], ClientId=ids["client_id"])
        again = provisioned(state_dir)  # the client anew: a new secret
        running.stop()
        running = start_sandbox(env=env_for(state_dir), name="durable-reprovision", fresh=False)
        assert SKIPPED not in running.output()
        assert provisioned(state_dir) == again
        running.stop()

        source = tmp_path / "profile_api"
        shutil.copytree(ROOT / "profile_api", source, ignore=shutil.ignore_patterns("__pycache__"))
        (source / "handler.py").write_text((source / "handler.py").read_text() + "\n# changed while stopped\n")
        changed = {**env_for(state_dir), "SANDBOX_API_SOURCE": str(source)}
        running = start_sandbox(env=changed, name="durable-reprovision", fresh=False)
        assert SKIPPED not in running.output()
        function = next(name for name in ids["functions"] if "profile" in name.lower())
        deployed = aws("lambda").get_function(FunctionName=function)["Configuration"]["CodeSha256"]
        assert deployed == base64.b64encode(hashlib.sha256(zip_source(str(source))).digest()).decode()
    finally:
        running.stop()


def test_a_global_sign_out_stays_in_force_after_a_restart(state_dir):
    running = start_sandbox(env=env_for(state_dir), name="durable-signout")
    try:
        ids = provisioned(state_dir)
        browser = Browser(timeout=30, urls=URLS)
        assert browser.sign_in("alice@example.com").ok
        tokens = demo_tokens(state_dir, browser)
        pool = ids["user_pool_id"]
        alice = aws("cognito-idp").list_users(UserPoolId=pool, Filter='email = "alice@example.com"')["Users"][0]
        aws("cognito-idp").admin_user_global_sign_out(UserPoolId=pool, Username=alice["Username"])
        running.stop()
        running = start_sandbox(env=env_for(state_dir), name="durable-signout", fresh=False)

        refresh = requests.post(URLS.cognito_hosted_ui_url + "/oauth2/token", timeout=20,
                                auth=(ids["client_id"], ids["client_secret"]),
                                data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]})

        assert refresh.status_code == 400 and refresh.json()["error"] == "invalid_grant", refresh.text
    finally:
        running.stop()


@pytest.mark.parametrize("damage, reason", [
    (lambda data: data[: len(data) // 2], "is truncated or damaged"),
    (lambda data: b"\x00\xff not a state file", "is not a sandbox state file"),
    (lambda data: data.replace(b'"version": 1,', b'"version": 999,', 1), "is from an incompatible version"),
])
def test_a_bad_state_file_is_moved_aside_with_one_line_and_the_sandbox_starts_fresh(state_dir,
                                                                                    damage, reason):
    running = start_sandbox(["--parts", "aws"], env=env_for(state_dir), name="durable-bad")
    aws("dynamodb").create_table(TableName="before-the-damage", BillingMode="PAY_PER_REQUEST",
                                 KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                                 AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}])
    running.stop()
    path = state_dir / f"aws-{4566 + OFFSET}.state"
    path.write_bytes(damage(path.read_bytes()))

    running = start_sandbox(["--parts", "aws"], env=env_for(state_dir), name="durable-bad", fresh=False)
    try:
        output = running.output()
        lines = [line for line in output.splitlines() if str(path) in line]
        assert len(lines) == 1, output
        assert reason in lines[0] and "moved to aws-" in lines[0] and "starting fresh" in lines[0], lines[0]
        assert "Traceback" not in output
        aside = list(state_dir.glob(f"aws-{4566 + OFFSET}.state.bad-*"))
        assert len(aside) == 1 and lines[0].split("moved to ")[1].startswith(aside[0].name)
        assert "before-the-damage" not in aws("dynamodb").list_tables()["TableNames"]  # fresh, and provisioned
        assert "sandbox-user-details" in aws("dynamodb").list_tables()["TableNames"]
    finally:
        running.stop()


def jwks(pool_id: str) -> dict:
    return requests.get(f"{URLS.aws_endpoint_url}/{pool_id}/.well-known/jwks.json", timeout=10).json()


def test_fresh_wipes_what_users_made_and_keeps_the_keys_unless_new_keys(state_dir):
    running = start_sandbox(["--parts", "aws"], env=env_for(state_dir), name="durable-fresh")
    try:
        ids = provisioned(state_dir)
        aws("dynamodb").put_item(TableName=ids["user_table"], Item={"userName": {"S": "wiped"}})
        keys = jwks(ids["user_pool_id"])
        running.stop()
        other_sandbox = state_dir / "aws-4567.state"  # another sandbox sharing the state dir
        other_sandbox.write_text("not ours")

        running = start_sandbox(["--parts", "aws", "--fresh"], env=env_for(state_dir), name="durable-fresh",
                                fresh=False)
        assert "Fresh start:" in running.output() and "signing keys kept" in running.output()
        assert "Item" not in aws("dynamodb").get_item(TableName=ids["user_table"], Key={"userName": {"S": "wiped"}})
        assert provisioned(state_dir)["user_pool_id"] == ids["user_pool_id"]
        assert jwks(ids["user_pool_id"]) == keys
        assert other_sandbox.read_text() == "not ours"
        running.stop()

        running = start_sandbox(["--parts", "aws", "--fresh", "--new-keys"], env=env_for(state_dir),
                                name="durable-fresh", fresh=False)
        assert provisioned(state_dir)["user_pool_id"] == ids["user_pool_id"]
        assert jwks(ids["user_pool_id"]) != keys
    finally:
        running.stop()


def test_reset_removes_the_saved_state_and_keeps_the_keys(tmp_path):
    (tmp_path / "okta").mkdir()
    (tmp_path / "okta" / "keys.json").write_text("{}")
    (tmp_path / "cognito" / "us-east-1_x").mkdir(parents=True)
    for name in ("aws-4566.state", "okta-9000.state", "aws-4566.state.bad-20260101T000000Z",
                 "demo-8000.sqlite3", "demo-8000.sqlite3-wal"):
        (tmp_path / name).write_text("x")
    out = subprocess.run([sys.executable, "manage.py", "reset"], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "SANDBOX_STATE_DIR": str(tmp_path)}, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "5 item(s) removed; signing keys kept" in out.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cognito", "okta"]
    assert (tmp_path / "okta" / "keys.json").exists()


# -- the snapshot file itself -----------------------------------------------------------------------------

class Holder:
    """Something a weak dictionary points at (pickle needs a module-level class)."""

def test_a_snapshot_is_written_only_when_something_changed_and_reads_back(tmp_path):
    store = {"users": ["alice"]}
    durable = state.Durable("test", tmp_path / "t.state", lambda: store)
    durable.flush()
    assert not (tmp_path / "t.state").exists()  # nothing changed yet
    durable.changed()
    durable.flush()
    assert durable.health()["generation"] == durable.health()["flushed"] == 1
    restored = []
    assert state.Durable("test", tmp_path / "t.state", dict).restore(restored.append)
    assert restored == [store]
    assert [p.name for p in tmp_path.iterdir()] == ["t.state"]  # no temporary file left behind


def test_the_flusher_writes_within_a_second_and_stop_writes_the_rest(tmp_path):
    store = {"n": 0}
    durable = state.Durable("test", tmp_path / "t.state", lambda: dict(store)).start()
    try:
        store["n"] = 1
        durable.changed()
        deadline = time.monotonic() + 10
        while durable.flushed < 1:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        store["n"] = 2
        durable.changed()
    finally:
        durable.stop()
    restored = []
    state.Durable("test", tmp_path / "t.state", dict).restore(restored.append)
    assert restored == [{"n": 2}]


def test_an_rsa_key_a_lock_and_a_weak_dictionary_pickle(tmp_path):
    import threading
    import weakref
    from collections import defaultdict

    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    holder = Holder()
    obj = {"key": key, "lock": threading.Lock(), "weak": weakref.WeakValueDictionary({"h": holder}),
           "holder": holder, "aliases": defaultdict(lambda: {}, {"a": {"x": 1}})}
    back = state.loads(state.dumps(obj))
    assert back["key"].private_numbers() == key.private_numbers()
    assert back["lock"].acquire(blocking=False)
    assert back["weak"]["h"] is back["holder"]
    assert back["aliases"]["new"] == {} and back["aliases"]["a"] == {"x": 1}


def test_the_fast_pickle_writes_the_same_bytes_as_the_one_taught_each_object(tmp_path):
    import io
    import pickle
    import threading
    import weakref
    from collections import defaultdict

    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    holder = Holder()
    obj = {"rsa": rsa.generate_private_key(public_exponent=65537, key_size=2048),
           "ec": ec.generate_private_key(ec.SECP256R1()).public_key(), "lock": threading.RLock(),
           "weak": weakref.WeakValueDictionary({"h": holder}), "holder": holder,
           "aliases": defaultdict(lambda: {}, {"a": {"x": 1}}), "plain": defaultdict(list, {"b": [1]})}
    taught = io.BytesIO()
    state._Pickler(taught, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    assert state.dumps(obj) == taught.getvalue()


# -- incremental snapshots (aws_endpoint/persistence.py) ---------------------------------------------------

ACCOUNT = "210987654321"  # this test's own account in the process's moto backends


@pytest.fixture
def aws_snapshots(tmp_path, monkeypatch):
    """The AWS endpoint's snapshots in this process, each `dumps` counted: (capture, dumped objects)."""
    from aws_endpoint import persistence

    persistence.count_lookups()
    monkeypatch.setattr(persistence, "_durable", state.Durable("AWS", tmp_path / "aws.state", persistence.capture))
    monkeypatch.setattr(persistence, "_pickled", {"moto": {}, "stores": {}, "store_changes": {}, "flows": {}})
    monkeypatch.setattr(persistence, "_written", set())
    dumped = []
    real_dumps = state.dumps
    monkeypatch.setattr(persistence.state, "dumps", lambda obj: dumped.append(obj) or real_dumps(obj))
    return persistence, dumped


def test_a_snapshot_pickles_again_only_the_service_a_request_wrote(aws_snapshots):
    from moto.cognitoidp.models import cognitoidp_backends
    from moto.logs.models import logs_backends

    persistence, dumped = aws_snapshots
    with persistence.request({"REQUEST_METHOD": "POST"}):
        cognitoidp_backends[ACCOUNT]["us-east-1"].create_user_pool("incremental", {})
        logs_backends[ACCOUNT]["us-east-1"].create_log_group("before", {})
    first = persistence.capture()
    logs = persistence.service_key(logs_backends)
    assert logs in first["moto"] and persistence.service_key(cognitoidp_backends) in first["moto"]
    dumped.clear()

    with persistence.request({"REQUEST_METHOD": "POST"}):  # a write to CloudWatch Logs only
        logs_backends[ACCOUNT]["us-east-1"].create_log_group("after", {})
    second = persistence.capture()

    services_dumped = [obj for obj in dumped if isinstance(obj, dict) and ACCOUNT in obj]
    assert len(services_dumped) == 1 and "after" in services_dumped[0][ACCOUNT]["us-east-1"].groups
    assert second["moto"].keys() == first["moto"].keys()
    assert all(second["moto"][key] is first["moto"][key] for key in first["moto"] if key != logs)
    assert "after" in state.loads(second["moto"][logs])[ACCOUNT]["us-east-1"].groups


def test_a_read_request_and_an_extension_writing_only_its_store_pickle_no_service_again(aws_snapshots):
    from moto.logs.models import logs_backends

    persistence, dumped = aws_snapshots
    with persistence.request({"REQUEST_METHOD": "POST"}):
        logs_backends[ACCOUNT]["us-east-1"].create_log_group("read-later", {})
    first = persistence.capture()
    dumped.clear()
    with persistence.request({"REQUEST_METHOD": "POST", "HTTP_X_AMZ_TARGET": "Logs_20140328.DescribeLogGroups"}):
        assert "read-later" in logs_backends[ACCOUNT]["us-east-1"].groups
    with persistence.request({"REQUEST_METHOD": "POST"}, writes=True, moto_writes=False):
        assert logs_backends[ACCOUNT]["us-east-1"].groups
    second = persistence.capture()
    assert not [obj for obj in dumped if isinstance(obj, dict) and ACCOUNT in obj]
    assert all(second["moto"][key] is first["moto"][key] for key in first["moto"])


def test_a_change_outside_any_request_pickles_every_service_again(aws_snapshots):
    from moto.logs.models import logs_backends

    persistence, _ = aws_snapshots
    with persistence.request({"REQUEST_METHOD": "POST"}):
        logs_backends[ACCOUNT]["us-east-1"].create_log_group("outside", {})
    first = persistence.capture()
    persistence.changed_everything()
    second = persistence.capture()
    assert second["moto"].keys() == first["moto"].keys()
    assert all(second["moto"][key] is not first["moto"][key] for key in first["moto"])  # each pickled anew
    assert "outside" in state.loads(second["moto"][persistence.service_key(logs_backends)])[ACCOUNT]["us-east-1"].groups


def test_the_flow_store_pickles_again_only_the_flows_that_changed():
    from aws_endpoint.flow import FlowStore

    store, dumped = FlowStore(), []

    def dumps(obj):
        dumped.append(obj)
        return state.dumps(obj)

    store.add([{"flow": "one", "summary": "a"}, {"flow": "two", "summary": "b"}], [["okta-state", "one"]])
    flows = store.snapshot(dumps, {})
    assert list(flows) == ["one", "two"] and len(dumped) == 2
    dumped.clear()
    store.add([{"flow": "two", "summary": "c"}], [["lambda:1", "two"]])
    again = store.snapshot(dumps, flows)
    assert dumped == [([{"flow": "two", "summary": "b"}, {"flow": "two", "summary": "c"}], ["lambda:1"])]
    assert again["one"] is flows["one"] and list(again) == ["one", "two"]

    restored = FlowStore()
    restored.restore({flow: state.loads(data) for flow, data in again.items()})
    assert restored.get("okta-state") == [{"flow": "one", "summary": "a"}]
    assert [e["summary"] for e in restored.get("lambda:1")] == ["b", "c"]
    assert restored.alias_count() == 2 and restored.root("okta-state") == "one"


def test_a_write_to_one_service_after_a_snapshot_is_in_the_next_file(state_dir):
    running = start_sandbox(["--parts", "aws", "--no-provision"], env=env_for(state_dir), name="durable-next")
    try:
        ddb, idp = aws("dynamodb"), aws("cognito-idp")
        ddb.create_table(TableName="incremental", BillingMode="PAY_PER_REQUEST",
                         KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}])
        pool = idp.create_user_pool(PoolName="incremental")["UserPool"]["Id"]
        wait_until_flushed_at(URLS.aws_endpoint_url + "/_sandbox/health")
        ddb.put_item(TableName="incremental", Item={"k": {"S": "after the snapshot"}})
        wait_until_flushed_at(URLS.aws_endpoint_url + "/_sandbox/health")
        running.proc.kill()  # a crash: only what the files hold
        running.proc.wait()
        running = start_sandbox(["--parts", "aws", "--no-provision"], env=env_for(state_dir),
                                name="durable-next", fresh=False)
        item = ddb.get_item(TableName="incremental", Key={"k": {"S": "after the snapshot"}})
        assert item.get("Item") == {"k": {"S": "after the snapshot"}}
        assert idp.describe_user_pool(UserPoolId=pool)["UserPool"]["Name"] == "incremental"
    finally:
        running.stop()


@pytest.mark.parametrize("layout", ["whole store", "flows apart, aliases in the store"])
def test_a_state_file_from_before_the_flows_were_kept_per_flow_restores_them(monkeypatch, layout):
    from collections import OrderedDict

    from aws_endpoint import flow, persistence

    monkeypatch.setattr(flow, "STORE", flow.FlowStore())
    monkeypatch.setattr(persistence, "_pickled", {"moto": {}, "stores": {}, "store_changes": {}, "flows": {}})
    events = OrderedDict([("one", [{"flow": "one", "summary": "a"}]), ("two", [{"flow": "two", "summary": "b"}])])
    aliases = {"_aliases": {"okta-state": "one"}, "_aliases_of": {"one": {"okta-state"}}}
    if layout == "whole store":
        snapshot = {"moto": {}, "stores": {"flows": state.dumps({"_flows": events, **aliases})}}
    else:
        snapshot = {"moto": {}, "stores": {"flows": state.dumps(aliases)},
                    "flows": {key: state.dumps(value) for key, value in events.items()}}

    persistence.apply(snapshot)

    assert flow.STORE.get("okta-state") == [{"flow": "one", "summary": "a"}]
    assert [f["flow"] for f in flow.STORE.recent()] == ["two", "one"]
    again = persistence.capture()["flows"]  # and the next snapshot keeps both, with the alias
    assert state.loads(again["one"]) == ([{"flow": "one", "summary": "a"}], ["okta-state"])
