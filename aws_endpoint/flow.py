"""The flow collector: keeps the recent sign-in flows' events (sandbox/flowlog.py posts them here)."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

MAX_FLOWS = 500
MAX_EVENTS_PER_FLOW = 300


class FlowStore:
    def __init__(self):
        self._lock = threading.Lock()
        self._flows: OrderedDict[str, list[dict]] = OrderedDict()
        self._aliases: dict[str, str] = {}

    def root(self, key: str) -> str:
        seen = set()
        while key in self._aliases and key not in seen:
            seen.add(key)
            key = self._aliases[key]
        return key

    def add(self, events: list[dict], links: list[list[str]]) -> None:
        with self._lock:
            for alias, flow in links:
                alias_root, flow_root = self.root(str(alias)), self.root(str(flow))
                if alias_root == flow_root:
                    continue
                self._aliases[alias_root] = flow_root
                moved = self._flows.pop(alias_root, [])
                self._flows.setdefault(flow_root, []).extend(moved)
            for event in events:
                flow = self.root(str(event.get("flow", "")))
                bucket = self._flows.setdefault(flow, [])
                if len(bucket) < MAX_EVENTS_PER_FLOW:
                    bucket.append(event)
                self._flows.move_to_end(flow)
            while len(self._flows) > MAX_FLOWS:
                self._flows.popitem(last=False)

    def get(self, key: str) -> list[dict] | None:
        with self._lock:
            events = self._flows.get(self.root(key))
            return sorted(events, key=lambda e: e.get("at", 0)) if events is not None else None

    def recent(self) -> list[dict]:
        with self._lock:
            return [{"flow": flow, "events": len(events), "last_at": max((e.get("at", 0) for e in events), default=0)}
                    for flow, events in reversed(self._flows.items())]


STORE = FlowStore()


def _json(body, status=200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


def post_events(request: Request) -> Response:
    try:
        body = json.loads(request.get_data() or b"{}")
        events = [e for e in body.get("events", []) if isinstance(e, dict)]
        links = [pair for pair in body.get("links", []) if isinstance(pair, list) and len(pair) == 2]
    except (ValueError, AttributeError):
        return _json({"message": "body must be {\"events\": [...], \"links\": [...]}"}, 400)
    STORE.add(events, links)
    return Response(status=204)


def get_flow(request: Request, flow: str) -> Response:
    events = STORE.get(flow)
    if events is None:
        return _json({"message": f"no flow {flow}"}, 404)
    return _json({"flow": STORE.root(flow), "events": events})


def list_flows(request: Request) -> Response:
    return _json({"flows": STORE.recent()})


RULES = [
    Rule("/_sandbox/flow/events", endpoint=post_events, methods=["POST"]),
    Rule("/_sandbox/flow", endpoint=list_flows, methods=["GET"]),
    Rule("/_sandbox/flow/<path:flow>", endpoint=get_flow, methods=["GET"]),
]
