"""Start every part of the sandbox in this process, provision AWS, and report where everything is."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from sandbox import hot_reload, provision, state
from sandbox.config import apply_local_aws_defaults, port_of, seed, settings
from sandbox.parts import PARTS, Part
from sandbox.serve import Running, bind, serve

log = logging.getLogger("sandbox")


@dataclass
class Sandbox:
    running: list[Running] = field(default_factory=list)
    resources: provision.Resources | None = None
    started_at: float = field(default_factory=time.perf_counter)
    ready_seconds: float = 0.0

    def stop(self) -> None:
        for part in reversed(self.running):
            part.stop()
        state.stop_all()  # every party's last changes, once nothing is served
        from aws_endpoint.lambda_runtime import shutdown_workers  # noqa: PLC0415 (only when AWS ran here)

        shutdown_workers()


def select(names: list[str] | None) -> list[Part]:
    chosen = [p for p in PARTS if (not names or p.name in names) and p.available()]
    unknown = set(names or []) - {p.name for p in PARTS}
    if unknown:
        raise ValueError(f"unknown part(s): {', '.join(sorted(unknown))}")
    return chosen


def start(names: list[str] | None = None, do_provision: bool = True) -> Sandbox:
    """Take every part's port, serve AWS, provision, then serve the other parts (which may read the
    provisioned resources when they load). Raises PortInUse before serving anything."""
    apply_local_aws_defaults()
    s = settings()
    sandbox = Sandbox()
    parts = select(names)
    sockets = {}
    try:
        for part in parts:
            sockets[part.name] = bind(part.name, s.bind_host, port_of(part.public_url(s)))
        for part in parts:
            sandbox.running.append(serve(part.name, part.load_app(), sockets.pop(part.name), part.public_url(s)))
            if part.name == "aws" and do_provision and s.local_aws:
                sandbox.resources, skipped = provision.start_provisioned()
                if skipped:
                    state.report("AWS resources as saved: provisioning skipped (its inputs are unchanged)")
                hot_reload.start()  # a saved file in a function's folder redeploys it
    except BaseException:
        for sock in sockets.values():
            sock.close()
        for running in sandbox.running:
            running.stop()
        raise
    sandbox.ready_seconds = time.perf_counter() - sandbox.started_at
    return sandbox


def summary(sandbox: Sandbox) -> str:
    """The table printed when the sandbox is ready: URLs, then the demo users."""
    s = settings()
    titles = {p.name: p.title for p in PARTS}
    rows = [(titles[r.name], r.url) for r in sandbox.running]
    res = sandbox.resources
    if res:
        rows += [
            ("Cognito issuer", res.issuer),
            ("Cognito user pool / app client", f"{res.user_pool_id} / {res.client_id}"),
            ("Profile API", res.api_url + "/profile"),
        ]
    if any(r.name == "okta" for r in sandbox.running):
        rows.append(("Okta issuer", s.okta_issuer))
    width = max(len(name) for name, _ in rows)
    lines = [f"  {name.ljust(width)}  {url}" for name, url in rows]
    users = [u for u in seed()["okta"]["users"] if u["status"] == "ACTIVE"]
    lines.append("")
    lines += [f"  demo user  {u['login']} / {u['password']}  ({u['given_name']} {u['family_name']})" for u in users]
    return "\n".join(lines)
