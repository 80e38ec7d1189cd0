"""What one AWS API call costs on the sandbox's AWS endpoint, against a bare `python -m moto.server`, in one
run: the same boto3 calls to each (AdminGetUser, DescribeUserPoolClient, DynamoDB GetItem and PutItem),
interleaved call by call so both see the same machine; the medians and their ratio per call.

Ours is `manage.py sandbox --parts aws --no-provision` as users run it (its state saved), at
SANDBOX_PORT_OFFSET + 800 on a fresh temporary state dir; the bare moto server listens at + 900.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import boto3
import requests

from bench.persistence import Endpoint


class BareMoto:
    def __init__(self, port: int):
        self.url = f"http://localhost:{port}"
        self.proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-p", str(port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(self.url + "/moto-api/", timeout=0.5)
                return
            except requests.RequestException:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the bare moto server did not start") from None
                time.sleep(0.02)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)


def client(url: str, service: str):
    return boto3.client(service, endpoint_url=url, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test")


def calls(url: str) -> dict:
    """The same resources on one endpoint, and the calls to time against them."""
    idp, ddb = client(url, "cognito-idp"), client(url, "dynamodb")
    pool = idp.create_user_pool(PoolName="bench-calls")["UserPool"]["Id"]
    app = idp.create_user_pool_client(UserPoolId=pool, ClientName="bench", GenerateSecret=True)["UserPoolClient"]
    idp.admin_create_user(UserPoolId=pool, Username="alice@example.com", MessageAction="SUPPRESS",
                          UserAttributes=[{"Name": "email", "Value": "alice@example.com"}])
    ddb.create_table(TableName="bench-calls", BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "userName", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "userName", "AttributeType": "S"}])
    item = {"userName": {"S": "alice"}, "email": {"S": "alice@example.com"}, "given_name": {"S": "Alice"}}
    return {
        "AdminGetUser": lambda: idp.admin_get_user(UserPoolId=pool, Username="alice@example.com"),
        "DescribeUserPoolClient": lambda: idp.describe_user_pool_client(UserPoolId=pool, ClientId=app["ClientId"]),
        "GetItem": lambda: ddb.get_item(TableName="bench-calls", Key={"userName": {"S": "alice"}}),
        "PutItem": lambda: ddb.put_item(TableName="bench-calls", Item=item),
    }


def _ms(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def measure(rounds: int = 300) -> dict:
    base = int(os.environ.get("SANDBOX_PORT_OFFSET", "0"))
    state_dir = Path(tempfile.mkdtemp(prefix="bench-calls-"))
    ours = bare = None
    try:
        ours = Endpoint(base + 800, True, state_dir).start()
        bare = BareMoto(4566 + base + 900)
        sides = {"ours": calls(ours.url), "bare": calls(bare.url)}
        for side in sides.values():  # warm-up: connections, each service's first-call imports
            for call in side.values():
                for _ in range(10):
                    call()
        times = {name: {"ours": [], "bare": []} for name in sides["ours"]}
        for i in range(rounds):
            for name in times:
                for who in (("ours", "bare") if i % 2 else ("bare", "ours")):
                    times[name][who].append(_ms(sides[who][name]))
    finally:
        for running in (ours, bare):
            if running is not None:
                running.stop()
        shutil.rmtree(state_dir, ignore_errors=True)
    result = {}
    for name, t in times.items():
        ours_ms, bare_ms = statistics.median(t["ours"]), statistics.median(t["bare"])
        result[name] = {"ours_ms": round(ours_ms, 3), "bare_moto_ms": round(bare_ms, 3),
                        "ratio": round(ours_ms / bare_ms, 3)}
    return {"rounds": rounds, "calls": result}


if __name__ == "__main__":
    import json

    print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 300), indent=2))
