"""The flow collector: keeps the recent sign-in flows' events (sandbox/flowlog.py posts them here).

Bounded in every dimension, as it takes posts from any party: a request body of at most
`flowlog.MAX_BODY_BYTES` (413 beyond), only `Content-Type: application/json` (415 otherwise), each event
at most `flowlog.MAX_EVENT_BYTES` (a bigger one is kept trimmed, `flowlog.trim_event`), `MAX_EVENTS_PER_FLOW`
events per flow, `MAX_FLOWS` flows, and `MAX_ALIASES_PER_FLOW` aliases per flow, each alias dropped with its
flow when the flow is evicted.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from sandbox import json_body
from sandbox import flowlog
from sandbox.flowlog import MAX_BODY_BYTES, MAX_EVENT_BYTES, SIGN_IN_STEPS, trim_event

MAX_FLOWS = 500
MAX_EVENTS_PER_FLOW = 300
MAX_ALIASES_PER_FLOW = 32


def _at(event: dict) -> float:
    """An event's time for sorting: a number, or 0 (a hostile "at" must not break the sort)."""
    at = event.get("at", 0)
    return at if isinstance(at, (int, float)) and not isinstance(at, bool) else 0


class FlowStore:
    def __init__(self, max_flows: int = MAX_FLOWS, max_aliases_per_flow: int = MAX_ALIASES_PER_FLOW):
        self.max_flows = max_flows
        self.max_aliases_per_flow = max_aliases_per_flow
        self._lock = threading.Lock()
        self._flows: OrderedDict[str, list[dict]] = OrderedDict()
        # alias -> the root flow it belongs to (always a root: merging repoints), and each root's aliases,
        # so that evicting a flow drops its aliases too. Every root with aliases is a key of _flows.
        self._aliases: dict[str, str] = {}
        self._aliases_of: dict[str, set[str]] = {}
        # The flows whose events or aliases changed since the last `snapshot()`: only those are pickled again.
        self._changed: set[str] = set()

    def __len__(self) -> int:
        return len(self._flows)

    def alias_count(self) -> int:
        return len(self._aliases)

    def root(self, key: str) -> str:
        return self._aliases.get(key, key)

    def _link(self, alias: str, flow: str) -> None:
        alias_root, flow_root = self.root(alias), self.root(flow)
        if alias_root == flow_root:
            return
        moved_aliases = self._aliases_of.pop(alias_root, set())
        owned = self._aliases_of.setdefault(flow_root, set())
        if len(owned) + len(moved_aliases) + 1 > self.max_aliases_per_flow:
            self._aliases_of[alias_root] = moved_aliases  # refused: both flows stay as they were
            if not owned:
                del self._aliases_of[flow_root]
            return
        for key in (*moved_aliases, alias_root):
            self._aliases[key] = flow_root
        owned.update(moved_aliases)
        owned.add(alias_root)
        moved = self._flows.pop(alias_root, [])
        bucket = self._flows.setdefault(flow_root, [])
        bucket.extend(moved[:MAX_EVENTS_PER_FLOW - len(bucket)])
        self._changed.add(flow_root)

    def _evict(self) -> None:
        while len(self._flows) > self.max_flows:
            flow, _ = self._flows.popitem(last=False)
            for alias in self._aliases_of.pop(flow, ()):
                self._aliases.pop(alias, None)

    def add(self, events: list[dict], links: list[list[str]]) -> None:
        with self._lock:
            for alias, flow in links:
                self._link(str(alias), str(flow))
            for event in events:
                flow = self.root(str(event.get("flow", "")))
                bucket = self._flows.setdefault(flow, [])
                bucket.append(event)
                if len(bucket) > MAX_EVENTS_PER_FLOW:  # a full flow keeps its sign-in and its newest calls
                    del bucket[next((i for i, e in enumerate(bucket) if e.get("step") not in SIGN_IN_STEPS), 0)]
                self._flows.move_to_end(flow)
                self._changed.add(flow)
            self._evict()

    def snapshot(self, dumps, pickled: dict[str, bytes]) -> dict[str, bytes]:
        """Each flow, oldest first, as `dumps((events, its aliases))`: only the flows changed since the last
        call are pickled again, the others taken from that call's answer (`pickled`; empty: all). The
        caller holds `_lock`."""
        flows = {flow: pickled[flow] if flow in pickled and flow not in self._changed
                 else dumps((events, sorted(self._aliases_of.get(flow, ()))))
                 for flow, events in self._flows.items()}
        self._changed.clear()
        return flows

    def restore(self, flows: dict[str, tuple[list[dict], list[str]]]) -> None:
        """Put back what `snapshot` pickled (unpickled), oldest first. The caller holds `_lock`."""
        self._flows = OrderedDict((flow, events) for flow, (events, _) in flows.items())
        self._aliases_of = {flow: set(aliases) for flow, (_, aliases) in flows.items() if aliases}
        self._aliases = {alias: flow for flow, aliases in self._aliases_of.items() for alias in aliases}
        self._changed.clear()

    def get(self, key: str) -> list[dict] | None:
        with self._lock:
            events = self._flows.get(self.root(key))
            return sorted(events, key=_at) if events is not None else None

    def recent(self) -> list[dict]:
        with self._lock:
            return [{"flow": flow, "events": len(events), "last_at": max((_at(e) for e in events), default=0)}
                    for flow, events in reversed(self._flows.items())]


STORE = FlowStore()


def recording(flow: str | None) -> bool:
    """Whether events of this flow are kept: it has an id and the flow page's collector is on."""
    return bool(flow and flowlog.collector_url())


def store_event(flow: str | None, actor: str, target: str, summary: str, step: str, detail: dict) -> None:
    """One event of a call this endpoint serves, stored straight in its collector while recording is on (as
    trimmed as a POST's would be): posting it to ourselves over HTTP from flowlog's sender thread took CPU
    from the call it describes. The caller counts it as a change of the durable flows, as the POST does."""
    if recording(flow):
        stored = trim_event(flowlog.event(flow, actor, target, summary, step, detail))
        if stored is not None:
            STORE.add([stored], [])


def _json(body, status=200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


def post_events(request: Request) -> Response:
    if request.mimetype != "application/json":
        return _json({"message": "Content-Type must be application/json"}, 415)
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        return _json({"message": f"body over {MAX_BODY_BYTES} bytes"}, 413)
    data = request.stream.read(MAX_BODY_BYTES + 1)  # also bounds a body sent without a Content-Length
    if len(data) > MAX_BODY_BYTES:
        return _json({"message": f"body over {MAX_BODY_BYTES} bytes"}, 413)
    try:
        body = json_body.parse(data, empty={})
        events = [e for e in body.get("events", []) if isinstance(e, dict)]
        links = [pair for pair in body.get("links", []) if isinstance(pair, list) and len(pair) == 2]
    except (ValueError, AttributeError, TypeError):
        return _json({"message": "body must be {\"events\": [...], \"links\": [...]}"}, 400)
    events = [e for e in (trim_event(e, MAX_EVENT_BYTES) for e in events) if e is not None]
    STORE.add(events, links)
    # 202, not 204: waitress ends the connection after any answer without a Content-Length, which a 204
    # may not carry (RFC 9110 §8.6), so every sender's POST cost a new connection at both ends.
    return Response(status=202)


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
