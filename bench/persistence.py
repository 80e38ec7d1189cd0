"""What durable state (sandbox/state.py) costs, in one run:

- a write: the median of a DynamoDB PutItem against two AWS endpoints side by side, one saving its state
  (SANDBOX_PERSIST=1) and one not (0), calls interleaved so both see the same machine;
- a restore: a state of N Cognito users and N DynamoDB items, saved at a clean stop and loaded at the next
  start (the sandbox's own "state restored" line), with the snapshot's size and how long taking it holds
  the endpoint (its health's last_snapshot_ms), and the endpoint's start to healthy with that state;
  with that state in place, what the snapshot after one DynamoDB PutItem and after one Cognito user update
  costs (incremental: only the service written is pickled again).

The two endpoints run at SANDBOX_PORT_OFFSET + 600 and + 700, each on a fresh temporary state dir.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import boto3
import requests

from sandbox.config import ROOT

RESTORED = re.compile(r"AWS state restored from \S+ \((\d+) bytes\) in ([\d.]+) s")


class Endpoint:
    """`manage.py sandbox --parts aws --no-provision` on its own ports and state dir."""

    def __init__(self, offset: int, persist: bool, state_dir: Path):
        self.offset, self.persist, self.state_dir = offset, persist, state_dir
        self.url = f"http://localhost:{4566 + offset}"
        self.proc: subprocess.Popen | None = None
        self.output: list[str] = []
        self.ready_seconds = 0.0

    def start(self, deadline_seconds: float = 60.0) -> "Endpoint":
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "SANDBOX_PORT_OFFSET": str(self.offset),
               "SANDBOX_PERSIST": "1" if self.persist else "0", "SANDBOX_STATE_DIR": str(self.state_dir)}
        started = time.perf_counter()
        self.output = []
        self.proc = subprocess.Popen([sys.executable, "manage.py", "sandbox", "--parts", "aws", "--no-provision"],
                                     cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=lambda: self.output.extend(self.proc.stdout), daemon=True).start()
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the AWS endpoint exited: {''.join(self.output)[-2000:]}")
            try:
                if requests.get(self.url + "/_sandbox/health", timeout=0.5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.perf_counter() - started > deadline_seconds:
                raise RuntimeError("the AWS endpoint did not become healthy")
            time.sleep(0.01)  # polling interval: the measurement's resolution
        self.ready_seconds = time.perf_counter() - started
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(60)

    def client(self, service: str):
        return boto3.client(service, endpoint_url=self.url, region_name="us-east-1",
                            aws_access_key_id="test", aws_secret_access_key="test")

    def state(self) -> dict:
        return requests.get(self.url + "/_sandbox/health", timeout=5).json().get("state", {})

    def wait_flushed(self, deadline_seconds: float = 60.0) -> dict:
        deadline = time.monotonic() + deadline_seconds
        target = self.state()["generation"]
        while (now := self.state())["flushed"] < target:
            if time.monotonic() > deadline:
                raise RuntimeError("the state was not flushed")
            time.sleep(0.02)
        return now


def _table(ddb, name: str) -> None:
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "userName", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "userName", "AttributeType": "S"}])


def _put_ms(ddb, table: str, key: str) -> float:
    started = time.perf_counter()
    ddb.put_item(TableName=table, Item={"userName": {"S": key}, "email": {"S": f"{key}@example.com"},
                                        "given_name": {"S": "Bench"}, "family_name": {"S": "User"}})
    return (time.perf_counter() - started) * 1000


def fill(endpoint: Endpoint, users: int, records: int) -> None:
    """N Cognito users (one pool) and N DynamoDB items, through the AWS API."""
    idp, ddb = endpoint.client("cognito-idp"), endpoint.client("dynamodb")
    pool = idp.create_user_pool(PoolName="bench-restore")["UserPool"]["Id"]
    for i in range(users):
        idp.admin_create_user(UserPoolId=pool, Username=f"user{i:05d}@example.com", MessageAction="SUPPRESS",
                              UserAttributes=[{"Name": "email", "Value": f"user{i:05d}@example.com"},
                                              {"Name": "given_name", "Value": "Bench"}])
    _table(ddb, "bench-restore")
    for start in range(0, records, 25):
        ddb.batch_write_item(RequestItems={"bench-restore": [
            {"PutRequest": {"Item": {"userName": {"S": f"user{i:05d}"}, "email": {"S": f"user{i:05d}@example.com"}}}}
            for i in range(start, min(start + 25, records))]})


def measure(calls: int = 300, users: int = 1000, records: int = 1000) -> dict:
    base = int(os.environ.get("SANDBOX_PORT_OFFSET", "0"))
    dirs = [Path(tempfile.mkdtemp(prefix="bench-state-")) for _ in range(2)]
    on, off = Endpoint(base + 600, True, dirs[0]), Endpoint(base + 700, False, dirs[1])
    try:
        on.start()
        off.start()
        clients = {"on": on.client("dynamodb"), "off": off.client("dynamodb")}
        for ddb in clients.values():
            _table(ddb, "bench-put")
            for i in range(20):  # warm-up: connections, moto's first-call imports
                _put_ms(ddb, "bench-put", f"warm{i}")
        times = {"on": [], "off": []}
        for i in range(calls):
            for name in (("on", "off") if i % 2 else ("off", "on")):
                times[name].append(_put_ms(clients[name], "bench-put", f"k{i}"))
        off.stop()

        fill(on, users, records)
        saved = on.wait_flushed()
        # One write to one service with all that state in place: what the next snapshot costs.
        on.client("dynamodb").put_item(TableName="bench-restore", Item={"userName": {"S": "one-more"}})
        after_put = on.wait_flushed()
        idp = on.client("cognito-idp")
        pool = idp.list_user_pools(MaxResults=10)["UserPools"][0]["Id"]
        idp.admin_update_user_attributes(UserPoolId=pool, Username="user00000@example.com",
                                         UserAttributes=[{"Name": "given_name", "Value": "Updated"}])
        after_user_write = on.wait_flushed()
        on.stop()
        on.start()  # restores what it saved
        restored = next((m for m in map(RESTORED.search, on.output) if m), None)
        check = on.client("dynamodb").scan(TableName="bench-restore", Select="COUNT")["Count"]
    finally:
        on.stop()
        off.stop()
        for d in dirs:
            shutil.rmtree(d, ignore_errors=True)
    median_on, median_off = statistics.median(times["on"]), statistics.median(times["off"])
    return {
        "put_item_calls": calls,
        "put_item_median_ms": {"persist": round(median_on, 3), "no_persist": round(median_off, 3)},
        "put_item_cost": round(median_on / median_off - 1, 4),
        "restore": {"users": users, "records": records, "records_after_restore": check,
                    "state_bytes": int(restored.group(1)) if restored else None,
                    "restore_s": float(restored.group(2)) if restored else None,
                    "snapshot_ms": saved.get("last_snapshot_ms"),
                    "snapshot_after_one_put_item_ms": after_put.get("last_snapshot_ms"),
                    "snapshot_after_one_user_update_ms": after_user_write.get("last_snapshot_ms"),
                    "start_to_healthy_s": round(on.ready_seconds, 3),
                    "start_to_healthy_empty_s": round(off.ready_seconds, 3)},
    }


if __name__ == "__main__":
    import json

    print(json.dumps(measure(), indent=2))
