"""The flow collector (aws_endpoint/flow.py) takes posts from every party: bounded body, content type, event
size, flows and aliases; the sender (sandbox/flowlog.py) keeps its posts within those bounds."""

from __future__ import annotations

import json
import uuid

import pytest
import requests

from aws_endpoint.flow import MAX_EVENTS_PER_FLOW, FlowStore
from sandbox import flowlog
from sandbox.config import settings
from sandbox.flowlog import MAX_BODY_BYTES, MAX_EVENT_BYTES, batches, trim_event


@pytest.fixture(scope="module")
def collector(sandbox):
    return f"{settings().aws_endpoint_url}/_sandbox/flow"


def event(flow: str, summary: str = "did", **extra) -> dict:
    return {"flow": flow, "at": 1.0, "step": "a", "actor": "demo", "target": "browser", "summary": summary,
            "detail": {}, **extra}


def post(collector: str, body, content_type: str = "application/json") -> requests.Response:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return requests.post(f"{collector}/events", data=data, headers={"Content-Type": content_type}, timeout=10)


def test_posted_events_are_kept_under_their_flow(collector):
    flow = uuid.uuid4().hex
    assert post(collector, {"events": [event(flow)]}).status_code == 202
    assert [e["summary"] for e in requests.get(f"{collector}/{flow}", timeout=10).json()["events"]] == ["did"]


def test_a_body_over_the_cap_is_refused_with_413_json_and_nothing_is_kept(collector):
    flow = uuid.uuid4().hex
    padding = "x" * (MAX_BODY_BYTES // 8)
    body = {"events": [event(flow, detail={"padding": padding}) for _ in range(9)]}
    response = post(collector, body)
    assert response.status_code == 413
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"message": f"body over {MAX_BODY_BYTES} bytes"}
    assert requests.get(f"{collector}/{flow}", timeout=10).status_code == 404


def test_a_body_over_the_cap_without_a_content_length_is_refused_too(collector):
    def chunks():
        yield b'{"events": ['
        for _ in range(MAX_BODY_BYTES // 1024 + 1):
            yield json.dumps(event("chunked", detail={"p": "x" * 1024})).encode() + b","
        yield b'{}]}'

    response = requests.post(f"{collector}/events", data=chunks(), headers={"Content-Type": "application/json"},
                             timeout=10)
    assert response.status_code == 413 and response.json() == {"message": f"body over {MAX_BODY_BYTES} bytes"}


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_a_body_that_is_not_declared_json_is_refused_with_415(collector, content_type):
    response = post(collector, {"events": [event(uuid.uuid4().hex)]}, content_type=content_type)
    assert response.status_code == 415
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"message": "Content-Type must be application/json"}


def test_json_with_a_charset_parameter_is_accepted(collector):
    assert post(collector, {"events": []}, content_type="application/json; charset=utf-8").status_code == 202


def test_an_event_over_the_event_cap_is_kept_trimmed_with_a_note(collector):
    flow = uuid.uuid4().hex
    big = event(flow, summary="s" * 5000, detail={"blob": "y" * MAX_EVENT_BYTES})
    assert post(collector, {"events": [big]}).status_code == 202
    kept = requests.get(f"{collector}/{flow}", timeout=10).json()["events"]
    assert len(kept) == 1 and len(json.dumps(kept[0])) <= MAX_EVENT_BYTES
    assert kept[0]["summary"] == "s" * 1000 and kept[0]["actor"] == "demo"
    assert kept[0]["detail"] == {"truncated": f"event of {len(json.dumps(big))} bytes, over the flow "
                                              f"collector's {MAX_EVENT_BYTES}"}


def test_events_with_a_non_numeric_time_do_not_break_the_flow_or_the_list(collector):
    flow = uuid.uuid4().hex
    assert post(collector, {"events": [event(flow, at="soon"), event(flow, at=2.0)]}).status_code == 202
    assert requests.get(f"{collector}/{flow}", timeout=10).status_code == 200
    assert requests.get(collector, timeout=10).status_code == 200


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'{"events": 5}'])
def test_a_body_that_is_not_the_collectors_shape_is_a_400(collector, body):
    assert post(collector, body).status_code == 400


# -- the store: flows and aliases bounded together --------------------------------------------------

def test_aliases_are_pruned_with_the_flow_they_belong_to():
    store = FlowStore(max_flows=3)
    for n in range(10):
        store.add([event(f"flow{n}")], [[f"okta-state{n}", f"flow{n}"], [f"cognito-state{n}", f"okta-state{n}"]])
    assert len(store) == 3
    assert store.alias_count() == 6  # two per kept flow: the evicted flows' aliases went with them
    assert store.root("cognito-state9") == "flow9" and store.root("okta-state0") == "okta-state0"


def test_a_link_made_before_any_event_still_counts_as_a_flow_and_is_evicted():
    store = FlowStore(max_flows=2)
    for n in range(50):
        store.add([], [[f"alias{n}", f"flow{n}"]])
    assert len(store) == 2 and store.alias_count() == 2


def test_a_flow_takes_at_most_its_alias_cap_and_further_links_are_ignored():
    store = FlowStore(max_aliases_per_flow=4)
    store.add([event("main")], [[f"a{n}", "main"] for n in range(10)])
    assert store.alias_count() == 4
    assert store.root("a3") == "main" and store.root("a4") == "a4"


def test_merging_two_flows_keeps_every_alias_pointing_at_the_surviving_flow():
    store = FlowStore()
    store.add([event("x", summary="x1"), event("y", summary="y1")], [["x-alias", "x"]])
    store.add([event("x-alias", summary="x2")], [["x", "y"]])
    assert store.root("x-alias") == store.root("x") == "y"
    assert sorted(e["summary"] for e in store.get("x-alias")) == ["x1", "x2", "y1"]


def test_a_full_flow_keeps_its_sign_in_and_its_newest_api_calls():
    store = FlowStore()
    sign_in = [event("f", summary=f"sign-in {step}", step=step) for step in "abcdefg"]
    calls = [event("f", summary=f"call {n}", step="h", at=2.0 + n) for n in range(MAX_EVENTS_PER_FLOW * 2)]
    store.add(sign_in + calls, [])
    kept = [e["summary"] for e in store.get("f")]
    assert len(kept) == MAX_EVENTS_PER_FLOW
    assert kept[:7] == [f"sign-in {step}" for step in "abcdefg"]
    assert kept[-1] == f"call {MAX_EVENTS_PER_FLOW * 2 - 1}" and "call 0" not in kept


# -- the sender ------------------------------------------------------------------------------------

def test_the_sender_splits_a_big_batch_into_bodies_within_the_cap():
    items = [{"event": event("f", detail={"p": "z" * 10_000})} for _ in range(100)] + [{"link": ["a", "f"]}]
    sent = batches(items)
    assert len(sent) > 1
    assert all(len(body) <= MAX_BODY_BYTES for body in sent)
    bodies = [json.loads(body) for body in sent]
    assert sum(len(b["events"]) for b in bodies) == 100 and sum(len(b["links"]) for b in bodies) == 1


def test_the_sender_trims_an_oversized_event_as_the_collector_would():
    big = event("f", detail={"p": "q" * (MAX_EVENT_BYTES + 1)})
    assert [json.loads(body) for body in batches([{"event": big}])] == [{"events": [trim_event(big)], "links": []}]
    assert len(json.dumps(trim_event(big))) <= MAX_EVENT_BYTES


def test_what_a_gathered_block_records_is_sent_when_the_block_ends(collector):
    flow = uuid.uuid4().hex

    def summaries() -> list[str]:
        flowlog.flush()
        answer = requests.get(f"{collector}/{flow}", timeout=10)
        return [e["summary"] for e in answer.json()["events"]] if answer.status_code == 200 else []

    with flowlog.gathered():  # as the hosted UI's app does around each request
        flowlog.record(flow, "cognito", "okta", "first")
        flowlog.record(flow, "cognito", "demo", "second")
        assert summaries() == []
    assert summaries() == ["first", "second"]


def test_the_demo_sites_requests_send_their_flow_events_when_the_request_ends(collector):
    from demo_site.middleware import flow_events_gathered

    flow = uuid.uuid4().hex
    seen_during: list[list[str]] = []

    def summaries() -> list[str]:
        flowlog.flush()
        answer = requests.get(f"{collector}/{flow}", timeout=10)
        return [e["summary"] for e in answer.json()["events"]] if answer.status_code == 200 else []

    def view(request):  # records on both sides of a back-channel call, as the callback does
        flowlog.record(flow, "demo", "cognito", "before the call")
        seen_during.append(summaries())
        flowlog.record(flow, "demo", "browser", "after the call")
        return "response"

    assert flow_events_gathered(view)(object()) == "response"
    assert seen_during == [[]]
    assert summaries() == ["before the call", "after the call"]


def test_a_gathered_blocks_events_reach_the_sender_in_one_hand_over(collector, monkeypatch):
    """One queue entry (one wake-up of the sender thread) per request, not one per event."""
    flow, handed = uuid.uuid4().hex, []
    put = flowlog._queue.put_nowait
    monkeypatch.setattr(flowlog._queue, "put_nowait", lambda entry: (handed.append(entry), put(entry)))
    with flowlog.gathered():
        for summary in ("one", "two", "three"):
            flowlog.record(flow, "demo", "browser", summary)
    assert [[item["event"]["summary"] for item in entry] for entry in handed] == [["one", "two", "three"]]
    flowlog.flush()
    answer = requests.get(f"{collector}/{flow}", timeout=10)
    assert [e["summary"] for e in answer.json()["events"]] == ["one", "two", "three"]
