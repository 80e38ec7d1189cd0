"""`python -m bench`: measure the sandbox on this machine, print a table, write bench/results.json.

Starts the sandbox itself (as `python manage.py sandbox`, a child process) on the ports the environment
gives (`SANDBOX_PORT_OFFSET`), so nothing else may be serving them. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench import api, persistence, signin, startup
from sandbox.config import apply_local_aws_defaults

RESULTS = Path(__file__).resolve().parent / "results.json"

TARGETS = {  # issue 7, on a 2-core machine
    "ready_s": 3.0,
    "returning_median_ms": 100.0,
    "first_time_median_ms": 150.0,
    "authorizer_cost": 0.10,
}


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    p.add_argument("--startup-runs", type=int, default=3, help="cold starts to time (default 3)")
    p.add_argument("--runs", type=int, default=30, help="returning-user sign-ins to time (default 30)")
    p.add_argument("--first-runs", type=int, default=20, help="first-time sign-ins to time (default 20)")
    p.add_argument("--clients", type=int, default=8, help="concurrent browsers for sign-ins/s (default 8)")
    p.add_argument("--seconds", type=float, default=6.0, help="length of each throughput run (default 6)")
    p.add_argument("--api-threads", type=int, default=4, help="concurrent API clients (default 4)")
    p.add_argument("--put-items", type=int, default=300, help="PutItem calls per endpoint for persistence's cost")
    p.add_argument("--restore-size", type=int, default=1000, help="Cognito users and DynamoDB items to restore")
    p.add_argument("--output", type=Path, default=RESULTS)
    return p.parse_args(argv)


def run(args: argparse.Namespace) -> dict:
    if any(startup._answers(url) for url in startup.health_urls()):
        sys.exit("something already answers on the sandbox's ports: stop it, or set SANDBOX_PORT_OFFSET")
    # Every cold start from nothing, and nothing of the bench's users left in the developer's state.
    os.environ["SANDBOX_STATE_DIR"] = tempfile.mkdtemp(prefix="bench-state-")
    results: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                 "platform": platform.platform(), "load_avg": os.getloadavg()},
                     "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    ready = startup.measure(max(args.startup_runs - 1, 0))
    seconds, proc = startup.cold_start()  # the last cold start stays up for the rest
    ready.append(seconds)
    results["startup"] = {"runs_s": [round(s, 3) for s in ready], "median_s": statistics.median(ready),
                          "max_s": max(ready)}
    try:
        results["first_time"] = signin.first_time(args.first_runs).summary()
        results["returning"] = signin.returning("alice@example.com", args.runs).summary()
        results["throughput"] = signin.throughput(args.clients, args.seconds)
        results["api"] = api.measure(args.seconds, args.api_threads)
    finally:
        startup.stop(proc)
    results["persistence"] = persistence.measure(args.put_items, args.restore_size, args.restore_size)
    results["machine"]["load_avg_after"] = os.getloadavg()
    results["targets"] = targets(results)
    return results


def targets(r: dict) -> dict:
    got = {"ready_s": r["startup"]["median_s"], "returning_median_ms": r["returning"]["median_ms"],
           "first_time_median_ms": r["first_time"]["median_ms"], "authorizer_cost": r["api"]["authorizer_cost"]}
    return {k: {"target": TARGETS[k], "value": got[k], "met": got[k] <= TARGETS[k]} for k in TARGETS}


def table(r: dict) -> str:
    met = {k: ("met" if v["met"] else "NOT met") for k, v in r["targets"].items()}
    st, ft, rt, tp, ap = r["startup"], r["first_time"], r["returning"], r["throughput"], r["api"]
    rows = [
        ("measure", "result", "target", ""),
        ("cold start → every part healthy (median of "
         f"{len(st['runs_s'])})", f"{st['median_s']:.2f} s (runs {', '.join(f'{x:.2f}' for x in st['runs_s'])})",
         "≤ 3 s", met["ready_s"]),
        (f"first-time sign-in, median / p95 ({ft['runs']})", f"{ft['median_ms']:.0f} / {ft['p95_ms']:.0f} ms",
         "median ≤ 150 ms", met["first_time_median_ms"]),
        (f"returning sign-in, median / p95 ({rt['runs']})", f"{rt['median_ms']:.0f} / {rt['p95_ms']:.0f} ms",
         "median ≤ 100 ms", met["returning_median_ms"]),
        (f"sign-ins per second, {tp['clients']} clients", f"{tp['per_second']:.1f}/s ({tp['failed']} failed)", "", ""),
        (f"API req/s, no authorizer ({ap['threads']} clients)", f"{ap['open_rps']:.0f}/s", "", ""),
        (f"API req/s, Cognito authorizer ({ap['threads']} clients)", f"{ap['authorizer_rps']:.0f}/s", "", ""),
        ("authorizer cost (time per request, +%)", f"{ap['authorizer_cost'] * 100:+.1f} % ({ap['non_200']} non-200)",
         "≤ 10 %", met["authorizer_cost"]),
        *persistence_rows(r["persistence"]),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [" | ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    hops = "\n".join(f"    {name:45s} {ms:7.1f} ms" for name, ms in rt["hops_median_ms"].items())
    first_hops = "\n".join(f"    {name:45s} {ms:7.1f} ms" for name, ms in ft["hops_median_ms"].items())
    load = r["machine"]
    return ("\n".join(lines) + f"\n\nreturning sign-in, median per hop:\n{hops}\n"
            f"first-time sign-in, median per hop:\n{first_hops}\n"
            f"\n{load['cpus']} CPUs, load average {load['load_avg'][0]:.2f} before / "
            f"{load['load_avg_after'][0]:.2f} after (a shared machine makes every figure noisy)")


def persistence_rows(p: dict) -> list[tuple[str, str, str, str]]:
    put, rs = p["put_item_median_ms"], p["restore"]
    return [
        (f"DynamoDB PutItem median, saved state on / off ({p['put_item_calls']} each)",
         f"{put['persist']:.2f} / {put['no_persist']:.2f} ms ({p['put_item_cost'] * 100:+.1f} %)", "", ""),
        (f"restore {rs['users']} users + {rs['records']} items ({(rs['state_bytes'] or 0) / 1e6:.1f} MB)",
         f"{rs['restore_s']} s (start to healthy {rs['start_to_healthy_s']:.2f} s, empty "
         f"{rs['start_to_healthy_empty_s']:.2f} s; snapshot {rs['snapshot_ms']} ms)",
         "", ""),
    ]


def main(argv=None) -> None:
    args = parse_args(argv)
    apply_local_aws_defaults()
    results = run(args)
    args.output.write_text(json.dumps(results, indent=2))
    print(table(results))
    print(f"\nwritten to {args.output}")


if __name__ == "__main__":
    main()
