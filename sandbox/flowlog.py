"""Record what each party did during a sign-in, under one flow id, for the demo site's flow page.

Every party (in one process or in separate containers) posts its events to the AWS endpoint's collector
(`aws_endpoint/flow.py`), in a background thread so recording never slows the flow down. The flow id is
the demo site's OAuth `state`; a party that sees the flow under another key (Okta sees Cognito's state)
is linked to it with `link(alias, flow)`. Back-channel calls carry the flow id in the `X-Sandbox-Flow`
header. With SANDBOX_FLOW_URL empty (real AWS), nothing is recorded.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import queue
import threading
import time

from sandbox.config import settings
from sandbox.kept_http import KeptConnections

HEADER = "X-Sandbox-Flow"
# The seed document's steps, for the flow page's legend.
STEPS = {
    "a": "User opens the client app",
    "b": "Client app starts OIDC with Cognito's authorize URL; Cognito shows login or goes to Okta",
    "c": "Okta returns an authorization code to Cognito",
    "d": "Cognito calls Okta's token endpoint; Okta returns ID and access tokens",
    "e": "Cognito creates the user if new and redirects to the client app with a code",
    "f": "Cognito returns ID and access tokens",
    "g": "Client app validates the ID token",
    "h": "Client app calls the API with the access token",
    "i": "API Gateway validates the access token and scope with Cognito",
    "j": "Cognito returns the token validity",
    "k": "200 with data, or 401/403",
    "l": "Cognito creates the user profile in the user pool",
    "m": "The PreSignUp Lambda is invoked",
    "n": "The Lambda stores the user's details in DynamoDB",
}
# What a sign-in does once; every API call after it repeats h-k (events of no step come and go too).
SIGN_IN_STEPS = frozenset("abcdefglmn")

# The collector's limits (aws_endpoint/flow.py enforces them; the sender keeps under them).
MAX_BODY_BYTES = 256 * 1024  # one POST: 413 beyond
MAX_EVENT_BYTES = 64 * 1024  # one event, as JSON: a bigger one is kept trimmed
SHORT_FIELD = 1000  # what a trimmed event keeps of each string field

JSON = {"Content-Type": "application/json"}
GATHER_GAP = 0.002  # seconds without a new event that end a batch

log = logging.getLogger("sandbox.flow")
_queue: queue.Queue = queue.Queue(maxsize=10000)
_worker: threading.Thread | None = None
_lock = threading.Lock()
_gathering: contextvars.ContextVar[list | None] = contextvars.ContextVar("flowlog_gathering", default=None)


def collector_url() -> str:
    return settings().flow_url


def event(flow: str, actor: str, target: str, summary: str, step: str = "", detail: dict | None = None) -> dict:
    """One event: `actor` did something to `target` (both party names), in seed step `step`, now."""
    return {"flow": flow, "at": time.time(), "step": step, "actor": actor, "target": target, "summary": summary,
            "detail": detail or {}}


def record(flow: str | None, actor: str, target: str, summary: str, step: str = "",
           detail: dict | None = None) -> None:
    """Record one event (sent to the collector in the background)."""
    if flow:
        _enqueue({"event": event(flow, actor, target, summary, step, detail)})


def invocation_key(request_id: str) -> str:
    """The key one Lambda invocation's events are recorded under where its calls arrive (the AWS endpoint,
    aws_endpoint/lambda_runtime/tracing.py); the invoker links it to its flow."""
    return f"lambda:{request_id}"


def link(alias: str | None, flow: str | None) -> None:
    """Events recorded under `alias` belong to `flow`."""
    if alias and flow and alias != flow:
        _enqueue({"link": [alias, flow]})


def trim_event(event: dict, limit: int = MAX_EVENT_BYTES) -> dict | None:
    """`event` if its JSON fits in `limit` bytes; else its short fields (strings cut) and a note in place of
    its detail; None if even that does not fit."""
    size = len(json.dumps(event, default=str).encode())
    if size <= limit:
        return event
    trimmed = {key: value[:SHORT_FIELD] if isinstance(value, str) else value for key, value in event.items()
               if key in ("flow", "at", "step", "actor", "target", "summary")
               and isinstance(value, (str, int, float, bool))}
    trimmed["detail"] = {"truncated": f"event of {size} bytes, over the flow collector's {limit}"}
    return trimmed if len(json.dumps(trimmed).encode()) <= limit else None


def _encoded(item: dict) -> tuple[str, bytes | None]:
    """("events" or "links", the item's JSON, an event trimmed as trim_event does; None: not sendable)."""
    if "link" in item:
        return "links", json.dumps(item["link"]).encode()
    raw = json.dumps(item["event"], default=str).encode()
    if len(raw) <= MAX_EVENT_BYTES:
        return "events", raw
    trimmed = trim_event(item["event"])
    return "events", None if trimmed is None else json.dumps(trimmed).encode()


def batches(items: list[dict], limit: int = MAX_BODY_BYTES) -> list[bytes]:
    """The collector's request bodies (JSON) for `items` (events and links), each within `limit` bytes;
    each item is encoded once (three times was most of the sender's CPU)."""
    bodies: list[bytes] = []
    parts: dict[str, list[bytes]] = {"events": [], "links": []}
    empty = len(b'{"events": [], "links": []}')
    size = empty
    for item in items:
        key, raw = _encoded(item)
        if raw is None:
            continue
        cost = len(raw) + 2  # the value and ", "
        if size + cost > limit and (parts["events"] or parts["links"]):
            bodies.append(_body(parts))
            parts, size = {"events": [], "links": []}, empty
        parts[key].append(raw)
        size += cost
    if parts["events"] or parts["links"]:
        bodies.append(_body(parts))
    return bodies


def _body(parts: dict[str, list[bytes]]) -> bytes:
    return b'{"events": [' + b", ".join(parts["events"]) + b'], "links": [' + b", ".join(parts["links"]) + b"]}"


@contextlib.contextmanager
def gathered():
    """What is recorded inside goes to the sender together when the block ends: a request's events in one
    POST rather than one per pause between them (a sign-in's idpresponse waits on Okta twice, then AWS)."""
    items: list[dict] = []
    token = _gathering.set(items)
    try:
        yield
    finally:
        _gathering.reset(token)
        if items:
            _put(items)


def _enqueue(item: dict) -> None:
    if not collector_url():
        return
    pending = _gathering.get()
    if pending is not None:
        pending.append(item)
        return
    _put([item])


def _put(items: list[dict]) -> None:
    """Hand `items` to the sender as one entry of its queue: one wake-up of the sender for a whole
    request's events (a put each was a GIL hand-over to the sender per event, inside the request)."""
    global _worker
    with _lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_send_forever, name="flowlog", daemon=True)
            _worker.start()
    try:
        _queue.put_nowait(items)
    except queue.Full:
        pass  # the flow page is a view; losing an event must never block sign-in


def _send_forever() -> None:
    post = _Poster()
    while True:
        entries = [_queue.get()]
        # A step records its events within a moment: they go in one POST, not one each (in one process the
        # POSTs took CPU from the sign-in). A gap of GATHER_GAP ends the batch, so a reader elsewhere waits
        # no longer than that for an event.
        while len(entries) < 200:
            try:
                entries.append(_queue.get(timeout=GATHER_GAP))
            except queue.Empty:
                break
        for body in batches([item for entry in entries for item in entry]):
            try:
                post(body)
            except Exception as exc:  # noqa: BLE001 (a view, never a failure of the flow)
                log.debug("flow events not recorded: %s", exc)
        for _ in entries:
            _queue.task_done()


class _Poster:
    """POSTs to the collector on a kept-alive connection (sandbox/kept_http.py, which also says when a
    request is resent): a sign-in records ~15 batches, and a new connection and urllib opener for each took
    CPU from the sign-in itself when both share a process."""

    def __init__(self):
        self._http = KeptConnections(verify=None, headers={})

    def __call__(self, data: bytes) -> None:
        self._http.request("POST", collector_url() + "/events", headers=JSON, body=data, timeout=5)


def flush(timeout: float = 2.0) -> None:
    """Wait until queued events are sent, the batch being sent included (tests and the flow page call
    this before reading)."""
    deadline = time.monotonic() + timeout
    while _queue.unfinished_tasks and time.monotonic() < deadline:
        time.sleep(0.01)
