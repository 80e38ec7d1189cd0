"""Print cold and warm invoke times through boto3 against a running sandbox.

    SANDBOX_PORT_OFFSET=N python manage.py sandbox --parts aws --no-provision &
    SANDBOX_PORT_OFFSET=N python -m bench.lambda_invoke

A cold start is forced by changing an environment variable (a new configuration gets fresh workers).
"""

from __future__ import annotations

import io
import json
import statistics
import time
import uuid
import zipfile

from sandbox.aws import client

HANDLERS = {
    "plain": "def lambda_handler(event, context):\n    return event\n",
    "boto3": "import boto3\nddb = boto3.client('dynamodb')\n\ndef lambda_handler(event, context):\n    return event\n",
}
COLD_RUNS, WARM_RUNS = 5, 50


def zipped(source: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", source)
    return buffer.getvalue()


def timed_invoke(lam, name: str) -> float:
    started = time.perf_counter()
    response = lam.invoke(FunctionName=name, Payload=json.dumps({"ping": 1}))
    response["Payload"].read()
    assert "FunctionError" not in response, response
    return (time.perf_counter() - started) * 1000


def measure(lam, role: str, label: str, source: str) -> None:
    name = f"measure-{label}-{uuid.uuid4().hex[:6]}"
    lam.create_function(FunctionName=name, Runtime="python3.12", Role=role, Handler="handler.lambda_handler",
                        Code={"ZipFile": zipped(source)})
    try:
        cold = []
        for run in range(COLD_RUNS):
            lam.update_function_configuration(FunctionName=name, Environment={"Variables": {"RUN": str(run)}})
            cold.append(timed_invoke(lam, name))
        warm = [timed_invoke(lam, name) for _ in range(WARM_RUNS)]
    finally:
        lam.delete_function(FunctionName=name)
    print(f"{label:>6}: cold median {statistics.median(cold):7.1f} ms (min {min(cold):.1f}, n={COLD_RUNS}); "
          f"warm median {statistics.median(warm):5.1f} ms (p90 {statistics.quantiles(warm, n=10)[-1]:.1f}, n={WARM_RUNS})")


def main() -> None:
    iam, lam = client("iam"), client("lambda")
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                     "Principal": {"Service": "lambda.amazonaws.com"}}]}
    role = iam.create_role(RoleName=f"measure-{uuid.uuid4().hex[:6]}",
                           AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    for label, source in HANDLERS.items():
        measure(lam, role, label, source)


if __name__ == "__main__":
    main()
