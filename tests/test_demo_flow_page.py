"""The flow page's sequence diagram from recorded events: one arrow per event in time order, answers
received drawn from the party that answered, other parties' names folded onto the lifelines, and each
event listed under its seed step."""

from __future__ import annotations

from demo_site.flow_page import RECENT_EVENTS, build, party

EVENTS = [
    {"at": 100.250, "step": "b", "actor": "demo", "target": "cognito", "summary": "to authorize", "detail": {}},
    {"at": 100.000, "step": "a", "actor": "demo", "target": "browser", "summary": "sign in clicked",
     "detail": {"inbound": True, "request": "GET /oidc/authenticate/"}},
    {"at": 101.000, "step": "m", "actor": "cognito", "target": "lambda", "summary": "PreSignUp",
     "detail": {"event": {"triggerSource": "PreSignUp_ExternalProvider"}}},
    {"at": 102.000, "step": "i", "actor": "apigateway", "target": "cognito", "summary": "validates", "detail": {}},
    {"at": 103.000, "step": "", "actor": "demo", "target": "cognito", "summary": "signed out", "detail": {}},
    {"at": 104.000, "step": "k", "actor": "demo", "target": "auditor", "summary": "told", "detail": {"reply": True}},
]


def test_arrows_follow_time_and_an_inbound_event_points_from_the_caller():
    diagram = build(EVENTS)
    assert [a.summary for a in diagram.arrows] == ["sign in clicked", "to authorize", "PreSignUp", "validates",
                                                   "signed out", "told"]
    first = diagram.arrows[0]
    assert (first.source, first.target, first.offset_ms, first.dashed) == ("browser", "demo", 0, False)
    assert diagram.arrows[1].offset_ms == 250
    assert diagram.arrows[-1].dashed is True


def test_lifelines_keep_the_flow_order_and_unknown_parties_are_appended():
    diagram = build(EVENTS)
    assert [key for key, _, _ in diagram.lifelines] == ["browser", "demo", "cognito", "okta", "lambda", "api", "auditor"]
    x = {key: pos for key, _, pos in diagram.lifelines}
    validates = diagram.arrows[3]
    assert (validates.x1, validates.x2) == (x["api"], x["cognito"])
    assert party("apigateway") == "api" and party("hosted_ui") == "cognito"


def test_each_event_is_listed_under_its_seed_step_and_unstepped_ones_apart():
    diagram = build(EVENTS)
    steps = {letter: [a.summary for a in arrows] for letter, _, arrows in diagram.steps}
    assert steps["a"] == ["sign in clicked"] and steps["m"] == ["PreSignUp"] and steps["n"] == []
    assert [a.summary for a in diagram.other] == ["signed out"]
    presignup = diagram.arrows[2]
    assert presignup.sections[0][0:2] == ("event", "json") and "PreSignUp_ExternalProvider" in presignup.sections[0][2]


def test_no_events_give_an_empty_diagram_not_an_error():
    diagram = build([])
    assert diagram.arrows == [] and len(diagram.steps) == 14


def test_the_stored_dynamodb_item_is_taken_from_the_profile_apis_answer():
    item = {"userName": "okta_00u1alice0sandbox0x7", "Email": "alice@example.com"}
    events = [*EVENTS, {"at": 105.0, "step": "k", "actor": "demo", "target": "browser", "summary": "page",
                        "detail": {"api_answer": {"profile": item, "claims": {}}}}]
    diagram = build(events)
    assert diagram.stored_item == item and diagram.presignup_ran is True
    assert build(EVENTS[:2]).stored_item is None and build(EVENTS[:2]).presignup_ran is False


def profile_view(at: float) -> list[dict]:
    return [{"at": at, "step": "h", "actor": "demo", "target": "api", "summary": f"GET /profile at {at}", "detail": {}},
            {"at": at + 0.1, "step": "i", "actor": "apigateway", "target": "cognito", "summary": "validates",
             "detail": {}},
            {"at": at + 0.2, "step": "k", "actor": "demo", "target": "browser", "summary": "200", "detail": {
                "api_answer": {"profile": {"viewed_at": at}}}}]


def test_many_profile_views_draw_the_sign_in_and_only_the_newest_api_calls():
    sign_in = [e for e in EVENTS if e["step"] in ("a", "b", "m")]
    views = [event for n in range(200) for event in profile_view(1000 + n)]
    diagram = build(sign_in + views)
    summaries = [a.summary for a in diagram.arrows]
    assert summaries[:3] == ["sign in clicked", "to authorize", "PreSignUp"]  # the sign-in is always drawn
    assert len(diagram.arrows) == 3 + RECENT_EVENTS
    assert "GET /profile at 1199" in summaries and "GET /profile at 1000" not in summaries
    assert diagram.hidden == len(views) - RECENT_EVENTS
    assert diagram.stored_item == {"viewed_at": 1199}  # the latest answer


def test_a_short_flow_is_drawn_whole():
    assert build(EVENTS).hidden == 0
    assert len(build(EVENTS).arrows) == len(EVENTS)
