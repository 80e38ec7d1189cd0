"""The hosted UI's durable state: authorization codes, refresh tokens and the used
federation states, in `<state_dir>/cognito-<port>.state` (sandbox/state.py). Its session cookie and the
state sent to the IdP are signed with a secret kept beside it (`<state_dir>/hosted-ui/secret`), so a
signed-in browser stays signed in across a restart, and a sign-in under way at Okta finishes after one."""

from __future__ import annotations

from hosted_ui.context import HostedUI
from sandbox import state

# context attribute -> the store's attributes that hold its data
STORES = {"codes": ("_codes",), "refresh": ("_tokens",), "states": ("_used",)}


def capture(ctx: HostedUI) -> dict:
    return {name: state.take(getattr(ctx, name), attrs) for name, attrs in STORES.items()}


def apply(ctx: HostedUI, snapshot: dict) -> None:
    for name in STORES:
        if name in snapshot:
            state.put(getattr(ctx, name), snapshot[name])
    ctx.refresh.adopt_saved()


def start(ctx: HostedUI) -> state.Durable | None:
    """Restore the saved state into `ctx` (before it serves), then keep saving it."""
    if not state.enabled():
        return None
    durable = state.Durable("Cognito hosted UI", state.state_path("cognito", ctx.settings.url), lambda: capture(ctx))
    durable.restore(lambda snapshot: apply(ctx, snapshot))
    return durable.start()
