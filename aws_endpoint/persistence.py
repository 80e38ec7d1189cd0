"""The AWS endpoint's durable state: every moto backend in use (whoever wrote to it: provisioning, a test,
the AWS CLI, a Lambda function), the flow collector's recent flows and Cognito's revocations, in `<state_dir>/aws-<port>.state`.

moto's backends are plain Python objects; each service's are pickled on their own (one that cannot be
pickled is reported and left out, the others are kept), while every request that reaches moto holds
`LOCK` shared and the snapshot holds it exclusive, so a snapshot never sees half a request. The Lambda
functions' zips are inside moto's Lambda backend; the Cognito pools' signing keys are already files
(`<state_dir>/cognito/`); federated users are moto users.

Incremental: a snapshot pickles again only what was written since the last one and reuses the bytes of
the rest (a stream of sign-ins writes Cognito and the flows, not the Lambda zips). A write request
records the services it touched: every access to a service's data goes through its BackendDict
(`xxx_backends[account][region]`), so each one looked up while a write runs is counted as written, the
services moto's code reaches on its own included. The stores count their own changes (the flow store per
flow). Anything else that changes moto's backends outside a request calls `changed_everything()`.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import threading
from collections import OrderedDict

import moto
from moto.core.base_backend import BackendDict

from aws_endpoint import flow
from aws_endpoint.cognito.changes import READS
from aws_endpoint.cognito.revocations import REVOCATIONS
from sandbox import state
from sandbox.config import settings

LOCK = state.SharedLock()
# An upgrade within the pinned range (pyproject.toml) keeps the state; another series is refused cleanly.
MOTO_SERIES = ".".join(moto.__version__.split(".")[:2])
# Operations that only read (JSON protocols name them in X-Amz-Target; REST APIs read with GET).
READ_PREFIXES = (*READS, "Query", "Scan", "BatchGet")  # Cognito's, and DynamoDB's reads
# moto's own API (/moto-api/reset...) empties backends without looking them up: everything changed.
MOTO_API = "/moto-api/"
EVERYTHING = "*"

_durable: state.Durable | None = None
_unsaved: set[str] = set()  # services already reported as not saved
_looked_up = threading.local()  # .services: the BackendDicts the running write request looked up
_written: set[str] = set()  # what was written since the last snapshot: service keys, or EVERYTHING
_written_lock = threading.Lock()
# The last snapshot's bytes of each part, reused while it is not written.
_pickled = {"moto": {}, "stores": {}, "store_changes": {}, "flows": {}}


def service_key(bd: BackendDict) -> str:
    return f"{bd.backend.__module__}:{bd.service_name}"


def _backend_dicts() -> list[BackendDict]:
    return [bd for bd in list(BackendDict._instances) if len(bd)]


def count_lookups() -> None:
    """Make BackendDict count, in a write request, each service whose backends it is asked for. Once."""
    if getattr(BackendDict.__getitem__, "counts_lookups", False):
        return
    look_up = BackendDict.__getitem__

    def __getitem__(self, account_id):
        services = getattr(_looked_up, "services", None)
        if services is not None:
            services.add(self)
        return look_up(self, account_id)

    __getitem__.counts_lookups = True
    BackendDict.__getitem__ = __getitem__


def written(*keys: str) -> None:
    with _written_lock:
        _written.update(keys)


def changed_everything() -> None:
    """Something changed moto's backends outside a request: the next snapshot pickles every service."""
    written(EVERYTHING)
    if _durable is not None:
        _durable.changed()


def _take_written() -> set[str]:
    with _written_lock:
        taken = set(_written)
        _written.clear()
        return taken


def _dump_services(written_now: set[str]) -> dict[str, bytes]:
    services, previous = {}, _pickled["moto"]
    for bd in _backend_dicts():
        key = service_key(bd)
        if key in previous and key not in written_now and EVERYTHING not in written_now:
            services[key] = previous[key]
            continue
        try:
            services[key] = state.dumps({account: dict(regions) for account, regions in bd.items()})
        except Exception as exc:  # noqa: BLE001
            written(key)  # tried again at the next snapshot, as it may be fixed by then
            if key not in _unsaved:
                _unsaved.add(key)
                state.report(f"AWS state: {bd.service_name} cannot be saved ({type(exc).__name__}: "
                             f"{str(exc)[:120]}); it will be empty after a restart")
    return services


def capture() -> dict:
    with LOCK.exclusive():
        written_now = _take_written()
        try:
            services = _dump_services(written_now)
            stores, store_changes = {}, {}
            for name, (store, attrs) in _stores().items():
                with store._lock:
                    store_changes[name] = store.changes
                    same = _pickled["store_changes"].get(name) == store.changes and name in _pickled["stores"]
                    stores[name] = (_pickled["stores"][name] if same else
                                    state.dumps({attr: getattr(store, attr) for attr in attrs}))
            with flow.STORE._lock:
                flows = flow.STORE.snapshot(state.dumps, _pickled["flows"])
        except BaseException:
            written(EVERYTHING)  # nothing was taken: the next snapshot starts over
            raise
    _pickled.update(moto=services, stores=stores, store_changes=store_changes, flows=flows)
    return {"moto": services, "stores": stores, "flows": flows}


def _stores() -> dict:
    """The extensions' stores kept whole: each object, and the attributes that hold its data (under its
    `_lock`; its `changes` counter moves with every change). The flow store is kept per flow, each with
    its aliases (`flows`)."""
    return {"cognito-revocations": (REVOCATIONS, ("_sessions", "_revoked", "_signed_out"))}


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
    # One pickle per flow, its events and aliases (a file from before kept them whole in stores["flows"]).
    flows = OrderedDict((key, state.loads(data)) for key, data in snapshot.get("flows", {}).items())
    for bd, accounts in restored:  # only once everything loaded: a bad file changes nothing
        for account, regions in accounts.items():
            account_backends = bd[account]
            for region, backend in regions.items():
                dict.__setitem__(account_backends, region, backend)
    for name, (store, _) in {**_stores(), "flows": (flow.STORE, ())}.items():
        state.put(store, stores.get(name, {}))
    if "flows" in snapshot:
        with flow.STORE._lock:  # a flow pickled without its aliases: those of stores["flows"], set above
            flow.STORE.restore(OrderedDict(
                (key, value if isinstance(value, tuple) else (value, sorted(flow.STORE._aliases_of.get(key, ()))))
                for key, value in flows.items()))
    # What was just loaded is what those bytes hold: the first snapshot reuses them.
    _pickled.update(moto=dict(snapshot["moto"]), stores={}, store_changes={},
                    flows={key: data for key, data in snapshot.get("flows", {}).items() if isinstance(flows[key], tuple)})


def start() -> None:
    """Restore the saved state (before anything is served), then keep saving it. Once per process."""
    global _durable
    if _durable is not None or not state.enabled():
        return
    count_lookups()
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
def request(environ, writes: bool | None = None, moto_writes: bool = True):
    """Hold the state shared while a request runs; count it as a change if it may write, with the moto
    services it looked up (`moto_writes`; an extension that writes only its own store passes False)."""
    if _durable is None:
        yield
        return
    writing = writes if writes is not None else is_write(environ)
    with LOCK.shared():
        services = set() if writing and moto_writes else None
        _looked_up.services = services
        try:
            yield
        finally:
            _looked_up.services = None
            if writing:  # counted before the shared hold ends: the next snapshot sees what it wrote
                if environ.get("PATH_INFO", "").startswith(MOTO_API):
                    written(EVERYTHING)
                elif services:
                    written(*map(service_key, services))
                _durable.changed()


def health_json(**extra) -> str:
    body = {"status": "ok", "service": "aws", **extra}
    if _durable is not None:
        body["state"] = _durable.health()
    return json.dumps(body)
