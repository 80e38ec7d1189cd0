"""The AWS endpoint's durable state: every moto backend in use (whoever wrote to it: provisioning, a test,
the AWS CLI, a Lambda function), the flow collector's recent flows and Cognito's revocations, in `<state_dir>/aws-<port>.state`.

moto's backends are plain Python objects; each service's are pickled on their own (one that cannot be
pickled is reported and left out, the others are kept), while every request that reaches moto holds
`LOCK` shared and the snapshot holds it exclusive, so a snapshot never sees half a request. The Lambda
functions' zips are inside moto's Lambda backend; the Cognito pools' signing keys are already files
(`<state_dir>/cognito/`); federated users are moto users.
"""

from __future__ import annotations

import contextlib
import importlib
import json

import moto
from moto.core.base_backend import BackendDict

from aws_endpoint import flow
from aws_endpoint.cognito.revocations import REVOCATIONS
from sandbox import state
from sandbox.config import settings

LOCK = state.SharedLock()
# An upgrade within the pinned range (pyproject.toml) keeps the state; another series is refused cleanly.
MOTO_SERIES = ".".join(moto.__version__.split(".")[:2])
# Operations that only read (JSON protocols name them in X-Amz-Target; REST APIs read with GET).
READ_PREFIXES = ("Get", "List", "Describe", "Query", "Scan", "BatchGet", "AdminGet", "AdminList")

_durable: state.Durable | None = None
_unsaved: set[str] = set()  # services already reported as not saved


def _backend_dicts() -> list[BackendDict]:
    return [bd for bd in list(BackendDict._instances) if len(bd)]


def capture() -> dict:
    with LOCK.exclusive():
        services = {}
        for bd in _backend_dicts():
            key = f"{bd.backend.__module__}:{bd.service_name}"
            try:
                services[key] = state.dumps({account: dict(regions) for account, regions in bd.items()})
            except Exception as exc:  # noqa: BLE001
                if key not in _unsaved:
                    _unsaved.add(key)
                    state.report(f"AWS state: {bd.service_name} cannot be saved ({type(exc).__name__}: "
                                 f"{str(exc)[:120]}); it will be empty after a restart")
        stores = {}
        for name, (store, attrs) in _stores().items():
            with store._lock:
                stores[name] = state.dumps({attr: getattr(store, attr) for attr in attrs})
    return {"moto": services, "stores": stores}


def _stores() -> dict:
    """The extensions' own stores: each object, and the attributes that hold its data (under its `_lock`)."""
    return {
        "flows": (flow.STORE, ("_flows", "_aliases", "_aliases_of")),
        "cognito-revocations": (REVOCATIONS, ("_sessions", "_revoked", "_signed_out")),
    }


def _backend_dict(key: str) -> BackendDict:
    module_name, _, service = key.partition(":")
    module = importlib.import_module(module_name)
    for value in vars(module).values():
        if isinstance(value, BackendDict) and value.service_name == service:
            return value
    raise LookupError(f"moto has no {service} backend in {module_name}")


def apply(snapshot: dict) -> None:
    restored = [(_backend_dict(key), state.loads(data)) for key, data in snapshot["moto"].items()]
    stores = {name: state.loads(data) for name, data in snapshot["stores"].items()}
    for bd, accounts in restored:  # only once everything loaded: a bad file changes nothing
        for account, regions in accounts.items():
            account_backends = bd[account]
            for region, backend in regions.items():
                dict.__setitem__(account_backends, region, backend)
    for name, (store, _) in _stores().items():
        with store._lock:
            for attr, value in stores.get(name, {}).items():
                setattr(store, attr, value)


def start() -> None:
    """Restore the saved state (before anything is served), then keep saving it. Once per process."""
    global _durable
    if _durable is not None or not state.enabled():
        return
    s = settings()
    durable = state.Durable("AWS", state.state_path("aws", s.aws_endpoint_url), capture,
                            meta={"moto": MOTO_SERIES})
    durable.restore(apply)
    _durable = durable.start()


def is_write(environ) -> bool:
    if environ.get("REQUEST_METHOD") in ("GET", "HEAD", "OPTIONS"):
        return False
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    return not (target and target.rpartition(".")[2].startswith(READ_PREFIXES))


@contextlib.contextmanager
def request(environ, writes: bool | None = None):
    """Hold the state shared while a request runs; count it as a change if it may write."""
    if _durable is None:
        yield
        return
    with LOCK.shared():
        try:
            yield
        finally:
            if writes if writes is not None else is_write(environ):
                _durable.changed()


def health() -> dict | None:
    return _durable.health() if _durable is not None else None


def health_json() -> str:
    body = {"status": "ok", "service": "aws"}
    if _durable is not None:
        body["state"] = _durable.health()
    return json.dumps(body)
