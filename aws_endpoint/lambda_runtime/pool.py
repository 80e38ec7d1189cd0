"""Warm workers, a pool per function version and configuration: reused across invocations, one per
concurrent invocation, capped (invocations beyond the cap wait for a free worker)."""

from __future__ import annotations

import threading

from aws_endpoint.lambda_runtime.functions import FunctionSpec
from aws_endpoint.lambda_runtime.worker import Worker

MAX_WORKERS_PER_POOL = 8


class Pool:
    def __init__(self, spec: FunctionSpec, cap: int = MAX_WORKERS_PER_POOL):
        self.spec = spec
        self.cap = cap
        self._idle: list[Worker] = []
        self._size = 0
        self._retired = False
        self._changed = threading.Condition()

    def acquire(self) -> tuple[Worker, bool]:
        """A warm worker, or a newly started one (cold: True) while under the cap; else wait for one."""
        with self._changed:
            while not self._idle and self._size >= self.cap:
                self._changed.wait()
            if self._idle:
                return self._idle.pop(), False
            self._size += 1
        try:
            return Worker(self.spec), True
        except BaseException:
            with self._changed:
                self._size -= 1
                self._changed.notify()
            raise

    def release(self, worker: Worker) -> None:
        """Keep a live worker warm; a dead one (timed out, crashed, failed to initialise) leaves the pool."""
        with self._changed:
            keep = worker.alive and not self._retired
            if keep:
                self._idle.append(worker)
            else:
                self._size -= 1
            self._changed.notify()
        if not keep:
            worker.stop()

    def retire(self) -> None:
        """Stop the idle workers; busy ones stop when released."""
        with self._changed:
            self._retired = True
            idle, self._idle = self._idle, []
            self._size -= len(idle)
        for worker in idle:
            worker.stop()


_pools: dict[tuple, Pool] = {}
_pools_lock = threading.Lock()


def pool_for(spec: FunctionSpec) -> Pool:
    """The pool for this exact code and configuration; pools of the version's older states are retired."""
    with _pools_lock:
        pool = _pools.get(spec.pool_key)
        if pool is None:
            stale = [key for key in _pools if key[:2] == spec.pool_key[:2]]
            for key in stale:
                _pools.pop(key).retire()
            pool = _pools[spec.pool_key] = Pool(spec)
        return pool


def shutdown_workers() -> None:
    """Stop every worker of every pool (the sandbox calls this when it stops)."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.retire()
