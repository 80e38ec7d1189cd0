"""Fixtures of the Lambda tests: the Lambda client and the role their functions run as (import them)."""

from __future__ import annotations

import json
import time

import pytest

from sandbox.aws import client

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


def wait_for(predicate, timeout: float = 10.0, interval: float = 0.05):
    """Poll until predicate() is truthy or the deadline passes; return its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)
