"""The mock Okta's durable state: its users (the seed's, as changed through the Users API, and the ones
created through it), sessions, refresh tokens, codes, pending sign-ins and revoked tokens, in
`<state_dir>/okta-<port>.state` (sandbox/state.py). Clients and keys are not in it: clients come from the
seed, keys have their own file (keys.py)."""

from __future__ import annotations

from mock_idp.models import State
from mock_idp.provider import Provider
from sandbox import state
from sandbox.config import settings

STORES = ("codes", "refresh_tokens", "sessions", "signin_pages", "revoked_access")


def capture(provider: Provider) -> dict:
    current = provider.state
    with current.directory._lock:
        users = dict(current.directory._users)
    return {"users": users, **{name: getattr(current, name) for name in STORES}}  # Expiring copies under its lock


def apply(provider: Provider, snapshot: dict) -> None:
    directory = provider.state.directory
    with directory._lock:
        directory._users.update(snapshot["users"])  # a seed user the snapshot lacks (seed changed) stays
    provider.state = State(directory, **{name: snapshot[name] for name in STORES})


def start(provider: Provider) -> state.Durable | None:
    """Restore the saved state into `provider` (before it serves), then keep saving it."""
    if not state.enabled():
        return None
    durable = state.Durable("Okta", state.state_path("okta", settings().okta_public_url), lambda: capture(provider))
    durable.restore(lambda snapshot: apply(provider, snapshot))
    return durable.start()
