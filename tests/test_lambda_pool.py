"""The Lambda runtime's pools (aws_endpoint/lambda_runtime/pool.py), in this process: how cold starts of
all functions share the machine's cores. The workers here stand in for execution environments whose init
takes as long as the test says."""

from __future__ import annotations

import threading

import pytest

from aws_endpoint.lambda_runtime import pool as pools


class Environment:
    """A worker whose cold start lasts until `go` is set."""

    go = threading.Event()
    starting = threading.Semaphore(0)

    def __init__(self, spec):
        self.spec = spec
        self.reusable = True
        self.alive = True
        Environment.starting.release()
        Environment.go.wait()

    def stop(self):
        self.alive = False


@pytest.fixture
def environments(monkeypatch):
    monkeypatch.setattr(pools, "Worker", Environment)
    monkeypatch.setattr(pools, "MAX_COLD_STARTS", 1)
    monkeypatch.setattr(pools, "_pools", {})
    Environment.go, Environment.starting = threading.Event(), threading.Semaphore(0)
    return Environment


def busy_warm_worker(pool: pools.Pool, environments):
    """One worker that has finished its cold start and is serving an invocation."""
    environments.go.set()
    worker, cold = pool.acquire()
    pool.release(worker)
    worker, cold = pool.acquire()
    assert not cold
    environments.go.clear()
    return worker


def test_a_cold_start_of_one_function_holds_back_another_functions_until_it_ends(environments):
    first, second = pools.Pool("first"), pools.Pool("second")
    pools._pools.update(first=first, second=second)
    busy_first, busy_second = busy_warm_worker(first, environments), busy_warm_worker(second, environments)

    acquired = {}

    def invoke(name, pool):
        acquired[name] = pool.acquire()

    starting_first = threading.Thread(target=invoke, args=("first", first))
    starting_first.start()
    assert environments.starting.acquire(timeout=10)  # the first function's cold start is under way
    waiting_second = threading.Thread(target=invoke, args=("second", second))
    waiting_second.start()
    with second._changed:
        assert not second._may_start_cold()  # the one core's cold start is taken

    environments.go.set()
    starting_first.join(10)
    first.release(acquired["first"][0])  # its first invocation ends: its cold start is over
    waiting_second.join(10)
    assert acquired["second"][1] is True  # woken by the other pool's end of cold start, it started one
    for pool, worker in ((first, busy_first), (second, busy_second), (second, acquired["second"][0])):
        pool.release(worker)
    assert pools._cold_starts == 0
