"""The flow page's model: a sign-in's recorded events (sandbox/flowlog.py) as a sequence diagram.

Each event is an arrow from the party that acted to its target (or back, for an answer received:
detail "inbound"), in time order, labelled with its seed step. Drawn as server-side SVG: no script, no CDN.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

import requests

from demo_site.backchannel import for_browser, session
from sandbox import flowlog

# Lifelines left to right in the order the flow visits them; other parties' names are folded onto these.
LIFELINES = [("browser", "Browser"), ("demo", "Demo site"), ("cognito", "Cognito"), ("okta", "Okta"),
             ("lambda", "Lambda"), ("dynamodb", "DynamoDB"), ("api", "API Gateway")]
ALIASES = {"hosted_ui": "cognito", "cognito-idp": "cognito", "user_pool": "cognito", "mock_idp": "okta",
           "idp": "okta", "apigateway": "api", "api_gateway": "api", "presignup": "lambda", "trigger": "lambda",
           "profile_api": "lambda", "ddb": "dynamodb", "user": "browser", "demo_site": "demo"}
COLUMN, ROW, TOP = 150, 38, 56
# Every profile view adds its API call (steps h-k) to the sign-in's flow: the page draws the sign-in and
# the newest of those events only, so it stays the same size however often the profile is viewed.
RECENT_EVENTS = 40


def party(name: str) -> str:
    name = (name or "?").lower()
    return ALIASES.get(name, name)


@dataclass
class Arrow:
    index: int
    step: str
    source: str
    target: str
    summary: str
    at: float
    offset_ms: int
    dashed: bool
    sections: list = field(default_factory=list)
    x1: int = 0
    x2: int = 0
    y: int = 0

    @property
    def self_call(self) -> bool:
        return self.x1 == self.x2

    @property
    def label_x(self) -> int:
        return min(self.x1, self.x2) + 6 if not self.self_call else self.x1 + 8

    @property
    def clock(self) -> str:
        return time.strftime("%H:%M:%S", time.gmtime(self.at)) + f".{int(self.at * 1000) % 1000:03d}"


@dataclass
class Diagram:
    lifelines: list  # (key, title, x)
    arrows: list
    width: int
    height: int
    steps: list  # (letter, description, [arrows])
    other: list  # arrows of no seed step (e.g. sign-out)
    presignup_ran: bool = False
    stored_item: dict | None = None  # the user's DynamoDB item as the profile API read it back (step k)
    hidden: int = 0  # older repeated events not drawn (see RECENT_EVENTS)


def fetch(flow: str, timeout: float = 5) -> tuple[list[dict], str]:
    """The flow's events from the collector; ([], reason) when there are none to show."""
    base = flowlog.collector_url()
    if not base:
        return [], "Flow recording is off (SANDBOX_FLOW_URL is empty, e.g. against real AWS)."
    flowlog.flush()
    try:
        response = session.get(f"{base}/{flow}", timeout=timeout)
    except requests.RequestException as exc:
        return [], f"The flow collector at {base} could not be reached ({exc.__class__.__name__})."
    if response.status_code == 404:
        return [], "No events were recorded for this sign-in (yet)."
    if response.status_code != 200:
        return [], f"The flow collector answered {response.status_code}."
    return for_browser(list(response.json().get("events", []))), ""


def sections(detail: dict) -> list[tuple[str, str, object]]:
    """An event's detail, split for display: ("text", …), ("token", …) or ("json", …)."""
    out = []
    for key, value in detail.items():
        if key in ("inbound", "reply"):
            continue
        if key == "tokens" and isinstance(value, dict):
            out += [(name, "token", view) for name, view in value.items() if isinstance(view, dict)]
        elif isinstance(value, (dict, list)):
            out.append((key, "json", json.dumps(value, indent=2, sort_keys=True, default=str)))
        else:
            out.append((key, "text", str(value)))
    return out


def recent(events: list[dict]) -> tuple[list[dict], int]:
    """The sign-in's events and the newest RECENT_EVENTS others, in time order, and how many were left out."""
    repeated = [i for i, e in enumerate(events) if e.get("step") not in flowlog.SIGN_IN_STEPS]
    left_out = set(repeated[:max(0, len(repeated) - RECENT_EVENTS)])
    return [e for i, e in enumerate(events) if i not in left_out], len(left_out)


def build(events: list[dict]) -> Diagram:
    events, hidden = recent(sorted(events, key=lambda e: e.get("at", 0)))
    seen = {party(e.get("actor", "")) for e in events} | {party(e.get("target", "")) for e in events}
    keys = [k for k, _ in LIFELINES if k in seen or k in ("browser", "demo", "cognito", "okta")]
    keys += sorted(seen - set(keys))
    titles = dict(LIFELINES)
    x_of = {key: 80 + i * COLUMN for i, key in enumerate(keys)}
    start = events[0].get("at", 0) if events else 0
    arrows = []
    for i, event in enumerate(events):
        detail = event.get("detail") if isinstance(event.get("detail"), dict) else {}
        actor, target = party(event.get("actor", "")), party(event.get("target", "") or event.get("actor", ""))
        inbound = bool(detail.get("inbound"))  # recorded by the party that received the call
        source, dest = (target, actor) if inbound else (actor, target)
        reply = bool(detail.get("reply"))  # an answer to an earlier arrow: drawn dashed
        arrows.append(Arrow(index=i + 1, step=str(event.get("step", "")), source=source, target=dest,
                            summary=str(event.get("summary", "")), at=float(event.get("at", 0)),
                            offset_ms=int((float(event.get("at", 0)) - start) * 1000), dashed=reply,
                            sections=sections(detail), x1=x_of[source], x2=x_of[dest], y=TOP + 30 + i * ROW))
    by_step = {letter: [a for a in arrows if a.step == letter] for letter in flowlog.STEPS}
    steps = [(letter, text, by_step[letter]) for letter, text in flowlog.STEPS.items()]
    lifelines = [(key, titles.get(key, key.title()), x_of[key]) for key in keys]
    other = [a for a in arrows if a.step not in flowlog.STEPS]
    return Diagram(lifelines, arrows, width=80 + len(keys) * COLUMN, height=TOP + 60 + len(arrows) * ROW,
                   steps=steps, other=other, presignup_ran=bool(by_step["m"]), stored_item=stored_item(events),
                   hidden=hidden)


def stored_item(events: list[dict]) -> dict | None:
    """The DynamoDB item from the profile API's answer, which the demo site recorded in step k."""
    for event in reversed(events):
        answer = (event.get("detail") or {}).get("api_answer") if isinstance(event.get("detail"), dict) else None
        if isinstance(answer, dict) and isinstance(answer.get("profile"), dict):
            return answer["profile"]
    return None
