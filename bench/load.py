"""The closed load loop every throughput figure uses: N clients, each back to back, for a fixed time."""

from __future__ import annotations

import threading
import time
from typing import Callable


def closed_loop(clients: int, seconds: float, attempt: Callable[[int], bool]) -> tuple[int, int, float]:
    """Client i calls attempt(i) again and again for `seconds`; returns (succeeded, failed, elapsed s)."""
    ok, failed = [0] * clients, [0] * clients
    deadline = time.perf_counter() + seconds

    def client(i: int) -> None:
        while time.perf_counter() < deadline:
            if attempt(i):
                ok[i] += 1
            else:
                failed[i] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(ok), sum(failed), time.perf_counter() - started
