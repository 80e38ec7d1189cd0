"""The hosted UI's listener: its events, recorded for the demo site's flow page under the client's state.

Protocol code only emits (`ctx.events.emit("idp.code_exchanged", flow, ...)`); this table says how each
event reads on the flow page: to whom Cognito spoke, the summary (formatted with the event's detail) and
the seed step. Keys named in `drop` only serve the summary and stay out of the recorded detail."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sandbox import flowlog


@dataclass(frozen=True)
class Shown:
    target: str
    summary: str
    step: str
    drop: tuple[str, ...] = ()


EVENTS = {
    "authorize.received": Shown("cognito", "authorize request received", "b"),
    "login.shown": Shown("browser", "show the login page", "b"),
    "idp.redirected": Shown("okta", "redirect the browser to {provider}'s authorize endpoint", "b",
                            drop=("provider", "state")),
    "idp.error_received": Shown("cognito", "the IdP answered {error}", "c"),
    "idp.code_received": Shown("cognito", "authorization code received from Okta", "c"),
    "idp.code_exchanged": Shown("okta", "exchanged the code at Okta's token endpoint", "d"),
    "idp.userinfo_called": Shown("okta", "called Okta's userinfo with the access token", "d"),
    # PreSignUp is the seed's step m; the other triggers run within step e.
    "trigger.invoked": Shown("lambda", "{trigger} trigger invoked", "e", drop=("trigger",)),
    "user.created": Shown("cognito", "user {username} created (EXTERNAL_PROVIDER)", "l"),
    "user.updated": Shown("cognito", "returning user {username}: attributes updated", "e"),
    "code.issued": Shown("demo", "redirect to the client app with an authorization code", "e"),
    "signin.failed": Shown("demo", "sign-in failed: {error}", "e"),
    "tokens.issued": Shown("demo", "token endpoint: code exchanged for tokens", "f"),
}
TRIGGER_STEPS = {"PreSignUp": "m"}


def flow_id(client_state: str | None) -> str:
    return client_state or f"cognito-{secrets.token_urlsafe(12)}"


def short(token: str | None, keep: int = 24) -> str | None:
    """Tokens stay short in details: the flow page decodes what it needs itself."""
    return token if not token or len(token) <= keep else token[:keep] + "…"


def record(name: str, flow: str | None, detail: dict) -> None:
    """The listener: one flow-log record per event (the state sent to the IdP is linked to the flow)."""
    shown = EVENTS[name]
    if name == "idp.redirected":
        flowlog.link(detail["state"], flow)
    if name == "trigger.invoked" and detail.get("lambda_request_id"):
        # What the function did where its calls arrived (its DynamoDB write, step n) joins this flow.
        flowlog.link(flowlog.invocation_key(detail["lambda_request_id"]), flow)
    step = TRIGGER_STEPS.get(detail.get("trigger"), shown.step) if name == "trigger.invoked" else shown.step
    kept = {k: v for k, v in detail.items() if k not in shown.drop}
    flowlog.record(flow, actor="cognito", target=shown.target, summary=shown.summary.format(**detail), step=step,
                   detail=kept)
