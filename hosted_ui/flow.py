"""Flow recording for the demo site's flow page: what Cognito did, under the client's state."""

from __future__ import annotations

import secrets

from sandbox import flowlog


def flow_id(client_state: str | None) -> str:
    return client_state or f"cognito-{secrets.token_urlsafe(12)}"


def short(token: str | None, keep: int = 24) -> str | None:
    """Tokens stay short in details: the flow page decodes what it needs itself."""
    return token if not token or len(token) <= keep else token[:keep] + "…"


def record(flow: str | None, target: str, summary: str, step: str, **detail) -> None:
    flowlog.record(flow, actor="cognito", target=target, summary=summary, step=step, detail=detail)


def link(alias: str, flow: str) -> None:
    flowlog.link(alias, flow)
