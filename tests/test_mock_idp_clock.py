"""Lifetimes, checked with the clock passed in (`now=`) rather than by waiting: codes live 300 s."""

from __future__ import annotations

from mock_idp.models import AuthorizeRequest, Directory, Grant, State
from mock_idp.settings import settings


def test_a_code_is_gone_after_300_seconds_and_single_use_before():
    state = State(Directory({"users": [], "clients": []}, now=0))
    request = AuthorizeRequest("c", "http://localhost/cb", ("openid",), "s", "n", None, None)
    ttl = settings().code_ttl
    assert ttl == 300
    state.codes.put("early", Grant(request, "00u1", 0, 1000 + ttl), now=1000)
    state.codes.put("late", Grant(request, "00u1", 0, 1000 + ttl), now=1000)
    assert state.codes.pop("early", now=1000 + ttl - 1) is not None
    assert state.codes.pop("early", now=1000 + ttl - 1) is None  # single use
    assert state.codes.pop("late", now=1000 + ttl) is None  # expired
