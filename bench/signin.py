"""Sign-in round trips through the browser-like client: first-time and returning users, and sign-ins per
second with concurrent clients."""

from __future__ import annotations

import statistics
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sandbox.testing.browser import Browser, SignInResult
from sandbox.testing.okta import create_okta_user
from bench.load import closed_loop
from sandbox.config import settings


class SignInFailed(RuntimeError):
    pass


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))]


def hop_name(url: str) -> str:
    s = settings()
    parts = {s.demo_site_url: "demo", s.cognito_hosted_ui_url: "cognito", s.okta_public_url: "okta",
             s.aws_public_url: "aws"}
    split = urlsplit(url)
    origin = f"{split.scheme}://{split.netloc}"
    return f"{parts.get(origin, origin)} {split.path}"


@dataclass
class Timings:
    seconds: list[float] = field(default_factory=list)
    hops: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    def add(self, result: SignInResult) -> None:
        if not result.ok:
            raise SignInFailed(f"sign-in ended on {result.page.url} ({result.page.status_code}, API "
                               f"{result.api_status}, error {result.error}): {result.page.text[:300]}")
        self.seconds.append(result.seconds)
        seen = defaultdict(int)
        for hop in result.hops:
            name = f"{hop.method} {hop_name(hop.url)}"
            seen[name] += 1
            self.hops[name if seen[name] == 1 else f"{name} (#{seen[name]})"].append(hop.ms)

    def summary(self) -> dict:
        ms = [s * 1000 for s in self.seconds]
        return {"runs": len(ms), "median_ms": statistics.median(ms), "p95_ms": percentile(ms, 95),
                "hops_median_ms": {k: round(statistics.median(v), 1) for k, v in self.hops.items()}}


def sign_in_once(username: str) -> SignInResult:
    with Browser() as browser:
        return browser.sign_in(username)


def returning(username: str, runs: int, warmup: int = 3) -> Timings:
    """A user Cognito already knows, signing in from a new browser each time (Okta's form filled in)."""
    for _ in range(warmup):
        sign_in_once(username)
    timings = Timings()
    for _ in range(runs):
        timings.add(sign_in_once(username))
    return timings


def first_time(runs: int) -> Timings:
    """Fresh Okta users (Users API, not timed), each signing in once: Cognito creates them, PreSignUp runs."""
    logins = [create_okta_user(first="Bench").login for _ in range(runs)]
    timings = Timings()
    for login in logins:
        timings.add(sign_in_once(login))
    return timings


def throughput(clients: int, seconds: float) -> dict:
    """Completed sign-ins per second with `clients` browsers signing in back to back, each as its own
    returning user."""
    logins = [create_okta_user(first="Load").login for _ in range(clients)]
    with ThreadPoolExecutor(clients) as pool:  # first sign-ins: not counted
        list(pool.map(sign_in_once, logins))
    done, failed, elapsed = closed_loop(clients, seconds, lambda i: sign_in_once(logins[i]).ok)
    return {"clients": clients, "seconds": round(elapsed, 2), "sign_ins": done, "failed": failed,
            "per_second": done / elapsed}
