"""`python -m bench`: measure the sandbox on this machine, print a table, write bench/results.json.

Every figure is a ratio of timings taken side by side in this one run (absolute times on shared machines
move by 2x from one to the next). Starts the sandbox itself (as `python manage.py sandbox`, a child
process) on the ports the environment gives (`SANDBOX_PORT_OFFSET`), so nothing else may be serving them.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from bench import api, first_signins, journey, peers, persistence, startup
from sandbox.config import apply_local_aws_defaults

RESULTS = Path(__file__).resolve().parent / "results.json"
USER = "alice@example.com"


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    p.add_argument("--startup-runs", type=int, default=3, help="rounds of a start from nothing and one on saved state, each beside a bare moto start (3)")
    p.add_argument("--peer-runs", type=int, default=25, help="rounds of ours and the two Node peers (25)")
    p.add_argument("--journey-runs", type=int, default=20, help="rounds of the demo journey, /health, token (20)")
    p.add_argument("--clients", type=int, default=50, help="concurrent first sign-ins (50)")
    p.add_argument("--api-rounds", type=int, default=20, help="A-B-B-A rounds of the authorizer's cost (20)")
    p.add_argument("--no-peers", action="store_true", help="skip the Node peers")
    p.add_argument("--put-items", type=int, default=300, help="PutItem calls per endpoint for persistence's cost")
    p.add_argument("--restore-size", type=int, default=1000, help="Cognito users and DynamoDB items to restore")
    p.add_argument("--output", type=Path, default=RESULTS)
    return p.parse_args(argv)


def run(args: argparse.Namespace) -> dict:
    if any(startup._answers(url) for url in startup.health_urls()):
        sys.exit("something already answers on the sandbox's ports: stop it, or set SANDBOX_PORT_OFFSET")
    # Nothing of the bench's users left in the developer's state: the bench's own saved state, made by its
    # first start (startup.interleaved), and every start from nothing on a new empty dir.
    os.environ["SANDBOX_STATE_DIR"] = tempfile.mkdtemp(prefix="bench-state-")
    results: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                 "platform": platform.platform(), "load_avg": os.getloadavg()},
                     "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    results["startup"], proc = startup.interleaved(max(args.startup_runs, 1), os.environ["SANDBOX_STATE_DIR"])  # the last sandbox stays up
    try:
        from sandbox.provision import provision  # noqa: PLC0415 (after the sandbox is up)

        resources = provision()  # find-first: on the running sandbox it only reads
        results["peers"] = {"skipped": "--no-peers"} if args.no_peers else peers.measure(resources, USER, args.peer_runs)
        results["journey"] = journey.measure(resources, USER, args.journey_runs)
        results["first_signins"] = first_signins.measure(args.clients)
        results["authorizer"] = api.alternated(args.api_rounds)
    finally:
        startup.stop(proc)
    results["persistence"] = persistence.measure(args.put_items, args.restore_size, args.restore_size)
    results["machine"]["load_avg_after"] = os.getloadavg()
    return results


def pct(x: float) -> str:
    return f"{x * 100:+.1f} %"


def rows(r: dict) -> list[tuple[str, str, str, str]]:
    """(measure, result, target, met) for each row of issue 15's table."""
    def met(ok: bool) -> str:
        return "met" if ok else "NOT met"

    out = []
    p = r["peers"]
    if "skipped" in p:
        out.append(("federated sign-in vs cognito-local + oauth2-mock-server", f"skipped: {p['skipped']}", "≤ 1.5×", ""))
    else:
        m = p["median_ms"]
        out.append(("federated sign-in vs cognito-local + oauth2-mock-server",
                    f"{p['ratio']:.2f}× ({m['ours']:.0f} vs {m['cognito-local']:.0f} + {m['oauth2-mock-server']:.0f} ms)",
                    "≤ 1.5×", met(p["ratio"] <= 1.5)))
    j = r["journey"]
    out.append(("demo callback vs the hosted UI's token endpoint",
                f"{j['callback_vs_token']:.2f}× ({j['callback_ms']:.1f} vs {j['token_endpoint_ms']:.1f} ms)",
                "≤ 2×", met(j["callback_vs_token"] <= 2)))
    worst = max(j["demo_hops_vs_health"], key=j["demo_hops_vs_health"].get)
    out.append(("slowest demo-site hop vs its /health",
                f"{j['worst_demo_hop_vs_health']:.1f}× ({worst.split(' ', 2)[2]}; /health {j['health_ms']:.1f} ms)",
                "≤ 2×", met(j["worst_demo_hop_vs_health"] <= 2)))
    s = r["startup"]
    out.append(("`manage.py sandbox` → every part healthy vs bare moto.server, saved state (`make demo` daily)",
                f"{s['ratio']:.1f}× ({', '.join(f'{x:.2f}' for x in s['sandbox_s'])} vs "
                f"{', '.join(f'{x:.2f}' for x in s['moto_s'])} s)", "≤ 2×", met(s["ratio"] <= 2)))
    f = s["fresh"]
    out.append(("  the first start, from nothing (provisions)",
                f"{f['ratio']:.1f}× ({', '.join(f'{x:.2f}' for x in f['sandbox_s'])} vs "
                f"{', '.join(f'{x:.2f}' for x in f['moto_s'])} s)", "", ""))
    f = r["first_signins"]
    out.append((f"{f['clients']} concurrent first sign-ins: batch vs {f['clients']} × one ÷ {f['cores']} cores",
                f"{f['batch_vs_bar']:.2f}× ({f['batch_s']:.1f} s; one {f['one_s'] * 1000:.0f} ms; {f['failed']} failed)",
                "≤ 1.5×", met(f["batch_vs_bar"] <= 1.5 and not f["failed"])))
    out.append(("  median, idpresponse → profile page", f"{f['median_s']:.2f} s", "≤ 2 s", met(f["median_s"] <= 2)))
    a = r["authorizer"]
    out.append((f"Cognito authorizer cost ({a['rounds']} A-B-B-A rounds)",
                f"{pct(a['cost'])} (rounds p10–p90 {pct(a['cost_p10'])} … {pct(a['cost_p90'])}; "
                f"A/A noise p10–p90 {pct(a['noise_p10'])} … {pct(a['noise_p90'])})", "≤ 5 %", met(a["cost"] <= 0.05)))
    return out


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


def table(r: dict) -> str:
    lines = [("measure", "result (ratios from this run)", "target", "")] + rows(r) + persistence_rows(r["persistence"])
    widths = [max(len(row[i]) for row in lines) for i in range(4)]
    text = [" | ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in lines]
    text.insert(1, "-+-".join("-" * w for w in widths))
    j = r["journey"]
    hops = "\n".join(f"    {name:45s} {ms:7.1f} ms" + (f"  ({j['demo_hops_vs_health'][name]:.1f}× /health)"
                                                         if name in j["demo_hops_vs_health"] else "")
                     for name, ms in j["hops_median_ms"].items())
    load = r["machine"]
    return ("\n".join(text) + f"\n\nthe demo journey, median per hop ({j['runs']} rounds):\n{hops}\n"
            f"\n{load['cpus']} CPUs, load average {load['load_avg'][0]:.2f} before / "
            f"{load['load_avg_after'][0]:.2f} after (ratios are taken side by side; other work still adds noise)")


def main(argv=None) -> None:
    args = parse_args(argv)
    apply_local_aws_defaults()
    results = run(args)
    args.output.write_text(json.dumps(results, indent=2))
    print(table(results))
    print(f"\nwritten to {args.output}")


if __name__ == "__main__":
    main()
