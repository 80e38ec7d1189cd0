"""The hosted UI's context: its settings, stores, caches, locks, HTTP sessions and clock, built once per
app by `create_app` and handed to every protocol step (as mock_idp/provider.py is for the mock Okta).
Nothing of the hosted UI lives at module level, so two hosted UIs can run in one process."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

from hosted_ui import flow
from hosted_ui.aws import Aws
from hosted_ui.codes import CodeStore
from hosted_ui.federation.discovery import IdpDirectory
from hosted_ui.federation.http import IdpHttp
from hosted_ui.federation.state import FederationStates
from hosted_ui.keyed_lock import KeyedLock
from hosted_ui.live import Live
from hosted_ui.pool_keys import PoolKeys
from hosted_ui.refresh_tokens import RefreshStore
from hosted_ui.settings import Settings
from hosted_ui.triggers import Triggers
from sandbox.events import Events


@dataclass
class HostedUI:
    settings: Settings
    aws: Aws  # boto3 and the AWS endpoint's internal calls (its own HTTP session)
    live: Live  # the pool's configuration, read once per request; the domain -> pool id cache
    codes: CodeStore  # authorization codes
    refresh: RefreshStore  # refresh tokens and revocations
    states: FederationStates  # the state sent to the IdP; the used ones
    pool_keys: PoolKeys  # the pool's JWKS
    idp: IdpDirectory  # the IdPs' discovery documents and JWKS, and the HTTP session to them
    triggers: Triggers  # the pool's Lambda triggers
    first_sign_in: KeyedLock  # one first sign-in per user at a time
    events: Events  # what happened; flow.record turns it into the flow page's records
    clock: Callable[[], float] = time.time
    durable: object = None  # sandbox.state.Durable when the stores are kept across restarts (persistence.py)

    @classmethod
    def build(cls, cfg: Settings, clock: Callable[[], float] = time.time) -> "HostedUI":
        aws = Aws(cfg)
        live = Live(cfg, aws)
        events = Events(flow.record)
        return cls(settings=cfg, aws=aws, live=live, codes=CodeStore(), refresh=RefreshStore(),
                   states=FederationStates(cfg), pool_keys=PoolKeys(aws.get_json, live.pool_gone),
                   idp=IdpDirectory(cfg, IdpHttp(cfg)), triggers=Triggers(cfg, aws, events),
                   first_sign_in=KeyedLock(), events=events, clock=clock)
