"""Parties say what they did as named events (`"idp.code_exchanged"`, ...); listeners record them.

As node-oidc-provider's `provider.on("grant.success", ...)`: protocol code emits, and one listener per
party (its `flow.py`) turns the events into the flow page's records."""

from __future__ import annotations

from typing import Callable

Listener = Callable[[str, "str | None", dict], None]


class Events:
    def __init__(self, *listeners: Listener):
        self._listeners: list[Listener] = list(listeners)

    def listen(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def emit(self, name: str, flow: str | None, **detail) -> None:
        """Tell every listener that `name` happened in sign-in `flow`, with `detail`."""
        for listener in self._listeners:
            listener(name, flow, detail)
