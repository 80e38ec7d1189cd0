"""Warm workers, a pool per function version and configuration: reused across invocations, one per
concurrent invocation, capped (invocations beyond the cap wait for a free worker)."""

from __future__ import annotations

import os
import threading
import time

from aws_endpoint.lambda_runtime.functions import FunctionSpec
from aws_endpoint.lambda_runtime.template import shutdown_templates
from aws_endpoint.lambda_runtime.worker import Worker

MAX_WORKERS_PER_POOL = 8
# Lambda starts every concurrent environment at once on its own CPUs; here every function's environments
# share the machine's few cores, and eight inits together make every one of them (and the invocations
# queued behind them) slow. So at most one cold start per core at a time, across all pools: a burst is
# served by the environments that became warm first, and the pools grow while the burst lasts.
MAX_COLD_STARTS = max(1, os.cpu_count() or 1)
_cold_starts = 0  # workers of every pool started and not yet released once (still in their cold start)
_cold_lock = threading.Lock()  # taken inside a pool's lock, never the other way round
# Lambda reclaims idle execution environments after some minutes; so do we (also frees deleted functions').
IDLE_SECONDS = 300
SWEEP_SECONDS = 30


class Pool:
    def __init__(self, spec: FunctionSpec, cap: int = MAX_WORKERS_PER_POOL):
        self.spec = spec
        self.cap = cap
        self._idle: list[tuple[Worker, float]] = []  # (worker, idle since), most recently used last
        self._size = 0
        self._retired = False
        self._changed = threading.Condition()

    def acquire(self) -> tuple[Worker, bool]:
        """A warm worker, or a newly started one (cold: True) while under the cap; else wait for one."""
        with self._changed:
            while True:
                while self._idle:
                    worker = self._idle.pop()[0]
                    if worker.alive:
                        return worker, False
                    self._size -= 1  # died while idle
                    worker.stop()
                if self._size < self.cap and self._may_start_cold():
                    break
                self._changed.wait()
            self._size += 1
        try:
            worker = Worker(self.spec)
        except BaseException:
            with self._changed:
                self._size -= 1
                self._changed.notify()
            _cold_start_ended()
            raise
        worker.cold = True
        return worker, True

    def _may_start_cold(self) -> bool:
        """Take a cold start's place (a pool's first worker always may); called with the pool's lock."""
        global _cold_starts
        with _cold_lock:
            if self._size and _cold_starts >= MAX_COLD_STARTS:
                return False
            _cold_starts += 1
            return True

    def release(self, worker: Worker) -> None:
        """Keep a live worker warm; a dead one (timed out, crashed, failed to initialise) leaves the pool."""
        with self._changed:
            was_cold, worker.cold = getattr(worker, "cold", False), False
            keep = worker.reusable and not self._retired
            if keep:
                self._idle.append((worker, time.monotonic()))
            else:
                self._size -= 1
            self._changed.notify()
        if was_cold:
            _cold_start_ended()
        if not keep:
            worker.stop()

    def retire(self) -> None:
        """Stop the idle workers; busy ones stop when released."""
        with self._changed:
            self._retired = True
            idle, self._idle = self._idle, []
            self._size -= len(idle)
        for worker, _ in idle:
            worker.stop()

    def reap(self, idle_seconds: float) -> None:
        """Stop the workers idle for longer than idle_seconds."""
        cutoff = time.monotonic() - idle_seconds
        with self._changed:
            expired = [worker for worker, since in self._idle if since < cutoff]
            self._idle = [(worker, since) for worker, since in self._idle if since >= cutoff]
            self._size -= len(expired)
            self._changed.notify_all()
        for worker in expired:
            worker.stop()


_pools: dict[tuple, Pool] = {}
_pools_lock = threading.Lock()
_sweeper: threading.Thread | None = None


def _cold_start_ended() -> None:
    """Free a cold start's place; an invocation of any pool may be waiting for it."""
    global _cold_starts
    with _cold_lock:
        _cold_starts -= 1
    with _pools_lock:
        pools = list(_pools.values())
    for pool in pools:
        with pool._changed:
            pool._changed.notify()


def _sweep() -> None:
    while True:
        time.sleep(SWEEP_SECONDS)
        with _pools_lock:
            pools = list(_pools.values())
        for pool in pools:
            pool.reap(IDLE_SECONDS)


def pool_for(spec: FunctionSpec) -> Pool:
    """The pool for this exact code and configuration; pools of the version's older states are retired."""
    global _sweeper
    with _pools_lock:
        if _sweeper is None:
            _sweeper = threading.Thread(target=_sweep, name="lambda-idle-sweeper", daemon=True)
            _sweeper.start()
        pool = _pools.get(spec.pool_key)
        stale = []
        if pool is None:
            stale = [_pools.pop(key) for key in list(_pools) if key[:2] == spec.pool_key[:2]]
            pool = _pools[spec.pool_key] = Pool(spec)
    for old in stale:
        old.retire()
    return pool


def shutdown_workers() -> None:
    """Stop every worker of every pool, and the templates (the sandbox calls this when it stops)."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.retire()
    shutdown_templates()
