"""Reading a flow's events from the AWS endpoint's collector (aws_endpoint/flow.py) in tests.

Every process sends its events from a background thread (sandbox/flowlog.py), so an event can still be on
its way when the page or answer that caused it has come: tests wait for the events they name."""

from __future__ import annotations

import time
from collections.abc import Callable

import requests

from sandbox import flowlog
from sandbox.config import settings


def flow_events(flow: str, until: Callable[[list[dict]], bool] = lambda events: True, within: float = 10,
                aws: str | None = None) -> list[dict]:
    """The flow's events once `until(events)` holds, or as they are after `within` seconds (the caller's
    assertion then says what is missing). `aws`: the AWS endpoint's URL, the session sandbox's by default."""
    url = f"{aws or settings().aws_endpoint_url}/_sandbox/flow/{flow}"
    deadline = time.monotonic() + within
    while True:
        flowlog.flush()  # this process's own events first
        answer = requests.get(url, timeout=10)
        events = answer.json()["events"] if answer.status_code == 200 else []
        if until(events) or time.monotonic() > deadline:
            return events
        time.sleep(0.05)  # a poll interval, not a wait for timing


def has_steps(steps: str | set[str], actors: set[str] | None = None, count: int = 1) -> Callable[[list[dict]], bool]:
    """`until` for flow_events: each of `steps` recorded `count` times (by one of `actors`, when named)."""
    def holds(events: list[dict]) -> bool:
        seen = [e["step"] for e in events if actors is None or e["actor"] in actors]
        return all(seen.count(step) >= count for step in set(steps))
    return holds
