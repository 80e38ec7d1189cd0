"""What the demo site's pages show: front-channel URLs (the browser's), never the back-channel addresses its
server used (compose's http://aws:4566/...), which a browser cannot open."""

from __future__ import annotations

import dataclasses

from demo_site import backchannel
from sandbox.config import settings

MAP = (("http://localhost:4566", "http://aws:4566"), ("http://localhost:9229", "http://cognito:9229"))


def compose_settings():
    return dataclasses.replace(settings(), backchannel_map=MAP)


def test_frontchannel_puts_back_every_back_channel_address_in_a_text():
    s = compose_settings()
    text = "valid: RS256 with key k1 from http://aws:4566/us-east-1_X/.well-known/jwks.json; http://cognito:9229/oauth2/token"
    assert s.frontchannel(text) == ("valid: RS256 with key k1 from http://localhost:4566/us-east-1_X/.well-known/jwks.json;"
                                    " http://localhost:9229/oauth2/token")
    assert s.frontchannel(s.backchannel("http://localhost:4566/restapis/a/dev")) == "http://localhost:4566/restapis/a/dev"


def test_for_browser_rewrites_nested_event_details_and_leaves_other_values(monkeypatch):
    monkeypatch.setattr(backchannel, "sandbox_settings", compose_settings)
    events = [{"at": 1.5, "step": "f", "detail": {"request": "POST http://cognito:9229/oauth2/token", "n": 2,
                                                    "urls": ["http://aws:4566/x", "http://elsewhere:1/"]}}]
    assert backchannel.for_browser(events) == [
        {"at": 1.5, "step": "f", "detail": {"request": "POST http://localhost:9229/oauth2/token", "n": 2,
                                            "urls": ["http://localhost:4566/x", "http://elsewhere:1/"]}}]


def test_without_a_back_channel_map_nothing_changes():
    s = dataclasses.replace(settings(), backchannel_map=())
    assert s.frontchannel("http://aws:4566/x") == "http://aws:4566/x"
