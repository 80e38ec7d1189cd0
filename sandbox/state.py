"""Durable state: each party's in-memory stores, snapshotted to one file in SANDBOX_STATE_DIR.

A party keeps working on its objects in memory; `Durable` pickles them (`capture()`) whenever they changed,
at most once a second (`INTERVAL`) and once more at a clean stop, and gives them back at start-up
(`restore(apply)`) before anything is served. docs/ARCHITECTURE.md ("Durable state") says why snapshots of
the objects themselves (as LocalStack's persistence pickles moto's backends) and not a replay or a dump
through the AWS API.

- Never half-written: a snapshot goes to a new file, is fsynced, then renamed over the old one
  (os.replace is atomic on POSIX), and the directory is fsynced, so a crash leaves the old or the new file.
- Checked on load: a header line names the format, its version and the payload's length and SHA-256; a
  truncated, unreadable or incompatible file is moved aside with a timestamp and reported in one line,
  and the party starts fresh (never a traceback, never a silent empty start).
- Observable: `generation` counts changes, `flushed` is the generation the file on disk holds; parties
  show both on their health endpoint, so a test waits for "flushed" instead of sleeping.

The state dir must be as trusted as the code: loading a snapshot unpickles it.
"""

from __future__ import annotations

import collections
import contextlib
import copy
import copyreg
import hashlib
import io
import json
import os
import pickle
import secrets
import shutil
import sys
import threading
import time
import weakref
from pathlib import Path
from typing import Callable

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from sandbox.config import port_of, settings

FORMAT = "wf05-sandbox-state"
# Bump when what a party puts in its snapshot changes shape: an older file is then moved aside, not misread.
VERSION = 1
INTERVAL = 1.0  # seconds: a crash loses at most the writes of the last second


class BadState(Exception):
    """A state file that cannot be used; the message says why, in a few words."""


def report(message: str) -> None:
    """One line on the sandbox's output (stderr: it shows under compose and in tests' logs)."""
    sys.stderr.write(f"sandbox: {message}\n")
    sys.stderr.flush()


# --- pickling ---------------------------------------------------------------------------------------------

def _private_key(pem: bytes):
    # A key this sandbox pickled itself (its own state file): the RSA checks are skipped (cryptography's
    # unsafe_skip_rsa_key_validation, for trusted keys), ~0.04 s a key at start-up.
    return serialization.load_pem_private_key(pem, None, unsafe_skip_rsa_key_validation=True)


def _public_key(pem: bytes):
    return serialization.load_pem_public_key(pem)


_LOCKS = {type(threading.Lock()): threading.Lock, type(threading.RLock()): threading.RLock}


class _Pickler(pickle.Pickler):
    """pickle, taught the few objects in the parties' state that it refuses on its own:
    - cryptography's key objects (moto's Cognito pools hold an RSA key; joserfc wraps it): as PEM;
    - locks: a fresh, unlocked one;
    - WeakValueDictionary (moto's Lambda keeps functions by ARN in one): its items, still weak;
    - a defaultdict whose factory is a lambda (moto: `defaultdict(lambda: {})`): the factory's type."""

    def reducer_override(self, obj):
        if isinstance(obj, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
            return _private_reduce(obj)
        if isinstance(obj, (rsa.RSAPublicKey, ec.EllipticCurvePublicKey)):
            return _public_reduce(obj)
        if type(obj) in _LOCKS:
            return _LOCKS[type(obj)], ()
        if isinstance(obj, weakref.WeakValueDictionary):
            return weakref.WeakValueDictionary, (dict(obj),)
        if isinstance(obj, collections.defaultdict):
            return _lambda_defaultdict_reduce(obj) or NotImplemented
        return NotImplemented


def _private_reduce(key):
    return _private_key, (key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()),)


def _public_reduce(key):
    return _public_key, (key.public_bytes(serialization.Encoding.PEM,
                                          serialization.PublicFormat.SubjectPublicKeyInfo),)


def _lambda_defaultdict_reduce(obj):
    """A defaultdict whose factory is a lambda making an empty builtin, as one with that type; else None."""
    factory = obj.default_factory
    if factory is not None and getattr(factory, "__name__", "") == "<lambda>":
        made = factory()
        if type(made) in (dict, list, set, int, str) and not made:
            return collections.defaultdict, (type(made), dict(obj))
    return None


def _defaultdict_reduce(obj):
    return _lambda_defaultdict_reduce(obj) or obj.__reduce__()


def _dispatch_table() -> dict:
    """The same reductions as _Pickler's, by exact type: C pickle looks them up itself, where
    reducer_override is a Python call for every object (40 % of a big snapshot's time). Any object they
    miss fails the fast pickle, and `dumps` then takes _Pickler."""
    table = dict(copyreg.dispatch_table)
    table.update({lock: (lambda obj, new=new: (new, ())) for lock, new in _LOCKS.items()})
    table[weakref.WeakValueDictionary] = lambda obj: (weakref.WeakValueDictionary, (dict(obj),))
    table[collections.defaultdict] = _defaultdict_reduce
    try:  # the concrete key classes behind cryptography's abstract ones (cryptography/hazmat/.../rsa.py)
        from cryptography.hazmat.bindings._rust import openssl as rust_openssl  # noqa: PLC0415
        table.update({rust_openssl.rsa.RSAPrivateKey: _private_reduce, rust_openssl.ec.ECPrivateKey: _private_reduce,
                      rust_openssl.rsa.RSAPublicKey: _public_reduce, rust_openssl.ec.ECPublicKey: _public_reduce})
    except (ImportError, AttributeError):  # another layout: keys take the slow path
        pass
    return table


_DISPATCH = _dispatch_table()


def dumps(obj) -> bytes:
    out = io.BytesIO()
    fast = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    fast.dispatch_table = _DISPATCH
    try:
        fast.dump(obj)
        return out.getvalue()
    except Exception:  # noqa: BLE001  something only reducer_override knows (a subclass): the slow pickler
        out = io.BytesIO()
        _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
        return out.getvalue()


def loads(data: bytes):
    return pickle.loads(data)


# --- the file -----------------------------------------------------------------------------------------------

class StateFile:
    """One snapshot file: a JSON header line, then the payload."""

    def __init__(self, path: Path, meta: dict | None = None):
        self.path = Path(path)
        self.meta = meta or {}  # versions the payload depends on, checked on read (e.g. moto's)

    def write(self, payload: bytes, generation: int) -> None:
        header = {"format": FORMAT, "version": VERSION, **self.meta, "generation": generation,
                  "written_at": time.time(), "length": len(payload),
                  "sha256": hashlib.sha256(payload).hexdigest()}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            f.write(json.dumps(header).encode() + b"\n")
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)
        dir_fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)  # the rename itself survives a power cut
        finally:
            os.close(dir_fd)

    def read(self) -> bytes | None:
        """The payload, None when there is no file; BadState when the file cannot be used."""
        try:
            with open(self.path, "rb") as f:
                head = f.readline(4096)
                payload = f.read()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise BadState(f"cannot be read ({exc.strerror or exc})") from None
        try:
            header = json.loads(head)
            assert isinstance(header, dict)
        except (ValueError, AssertionError):
            raise BadState("is not a sandbox state file (no valid header)") from None
        if header.get("format") != FORMAT:
            raise BadState("is not a sandbox state file (unknown format)")
        if header.get("version") != VERSION:
            raise BadState(f"is from an incompatible version (format {header.get('version')}, this sandbox "
                           f"reads {VERSION})")
        for key, value in self.meta.items():
            if header.get(key) != value:
                raise BadState(f"was written with {key} {header.get(key)} (this sandbox has {value})")
        if len(payload) != header.get("length") or hashlib.sha256(payload).hexdigest() != header.get("sha256"):
            raise BadState(f"is truncated or damaged ({len(payload)} of {header.get('length')} bytes, "
                           "checksum differs)")
        return payload

    def move_aside(self) -> Path:
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        target = self.path.with_name(f"{self.path.name}.bad-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{self.path.name}.bad-{stamp}-{n}")
        os.replace(self.path, target)
        return target


# --- a party's durable state -------------------------------------------------------------------------------

class Durable:
    """One party's snapshots: `changed()` after each write, a thread writes the file when there were
    changes (at most every INTERVAL seconds), `stop()` writes the last ones.

    `capture()` returns the objects to save (it runs on the flusher thread; it must take whatever lock
    makes them consistent), `apply(obj)` puts restored objects in place."""

    def __init__(self, name: str, path: Path, capture: Callable[[], object], meta: dict | None = None,
                 interval: float = INTERVAL):
        self.name = name
        self.file = StateFile(path, meta)
        self.capture = capture
        self.interval = interval
        self.generation = 0  # changes made
        self.flushed = 0     # the generation the file holds
        self.last_snapshot_ms = 0.0
        self._changed = threading.Condition()
        self._idle = False  # the flusher waits for a change (between snapshots it waits for stop() only)
        self._stop = threading.Event()
        self._flush_lock = threading.Lock()
        self._stopping = False
        self._thread: threading.Thread | None = None

    def restore(self, apply: Callable[[object], None]) -> bool:
        """Load the file into the party (True), or start fresh (False): no file, or a bad one, which is
        moved aside and named in one line."""
        started = time.perf_counter()
        try:
            payload = self.file.read()
            if payload is None:
                return False
            apply(loads(payload))
        except BadState as exc:
            self._set_aside(str(exc))
            return False
        except Exception as exc:  # noqa: BLE001  an unpickling error names a class or module that changed
            self._set_aside(f"cannot be loaded ({type(exc).__name__}: {str(exc)[:200]})")
            return False
        report(f"{self.name} state restored from {self.file.path} ({len(payload)} bytes) in "
               f"{time.perf_counter() - started:.2f} s")
        return True

    def _set_aside(self, reason: str) -> None:
        try:
            moved = self.file.move_aside()
            report(f"{self.name} state {self.file.path} {reason}: moved to {moved.name}; starting fresh")
        except OSError as exc:
            report(f"{self.name} state {self.file.path} {reason}, and cannot be moved aside ({exc}); starting "
                   "fresh")

    def changed(self) -> None:
        with self._changed:
            self.generation += 1
            if self._idle:  # a busy flusher is not woken by every write: it looks again once it is done
                self._changed.notify()

    def flush(self) -> None:
        """Write a snapshot now if anything changed since the last one."""
        with self._flush_lock:
            generation = self.generation  # read before capture(): every change it counts is in the capture
            if generation == self.flushed:
                return
            started = time.perf_counter()
            payload = dumps(self.capture())
            self.last_snapshot_ms = (time.perf_counter() - started) * 1000  # capture and pickle, not the write
            self.file.write(payload, generation)
            self.flushed = generation

    def _run(self) -> None:
        while True:
            with self._changed:
                while self.generation == self.flushed and not self._stopping:
                    self._idle = True
                    self._changed.wait()
                self._idle = False
                if self._stopping:
                    return
            started = time.monotonic()
            try:
                self.flush()
            except Exception as exc:  # noqa: BLE001  a failed snapshot is reported; the party keeps serving
                report(f"{self.name} state could not be saved ({type(exc).__name__}: {str(exc)[:200]})")
            # At most one snapshot per interval; writes meanwhile only count (changed() wakes no busy flusher).
            self._stop.wait(max(0.0, self.interval - (time.monotonic() - started)))

    def start(self) -> "Durable":
        self._thread = threading.Thread(target=self._run, name=f"state-{self.name}", daemon=True)
        self._thread.start()
        _RUNNING.append(self)
        return self

    def stop(self) -> None:
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        try:
            self.flush()
        except Exception as exc:  # noqa: BLE001
            report(f"{self.name} state could not be saved at stop ({type(exc).__name__}: {str(exc)[:200]})")
        if self in _RUNNING:
            _RUNNING.remove(self)

    def health(self) -> dict:
        return {"generation": self.generation, "flushed": self.flushed,
                "last_snapshot_ms": round(self.last_snapshot_ms, 2)}


_RUNNING: list[Durable] = []


def stop_all() -> None:
    """Write every party's last changes (the sandbox's clean stop)."""
    for durable in list(_RUNNING):
        durable.stop()


class SharedLock:
    """Many holders of `shared()` at once, or one of `exclusive()`; a waiting exclusive holder goes first
    (so a stream of requests cannot starve the snapshot). Shared holders must not nest."""

    def __init__(self):
        self._cond = threading.Condition()
        self._shared = 0
        self._exclusive = False
        self._waiting = 0

    @contextlib.contextmanager
    def shared(self):
        with self._cond:
            while self._exclusive or self._waiting:
                self._cond.wait()
            self._shared += 1
        try:
            yield
        finally:
            with self._cond:
                self._shared -= 1
                if not self._shared:
                    self._cond.notify_all()

    @contextlib.contextmanager
    def exclusive(self):
        with self._cond:
            self._waiting += 1
            while self._exclusive or self._shared:
                self._cond.wait()
            self._waiting -= 1
            self._exclusive = True
        try:
            yield
        finally:
            with self._cond:
                self._exclusive = False
                self._cond.notify_all()


def take(store, attrs: tuple[str, ...]) -> dict:
    """A consistent copy of some of `store`'s attributes (dicts of immutable values), under its `_lock`."""
    with store._lock:
        return {attr: copy.copy(getattr(store, attr)) for attr in attrs}


def put(store, saved: dict) -> None:
    with store._lock:
        for attr, value in saved.items():
            setattr(store, attr, value)


def secret(name: str) -> bytes:
    """A random 32-byte key that stays across restarts (`<state_dir>/<name>/secret`, like the signing keys:
    kept by reset unless --new-keys), or a new one per process when nothing persists."""
    if not enabled():
        return secrets.token_bytes(32)
    path = settings().state_dir / name / "secret"
    try:
        return bytes.fromhex(path.read_text().strip())
    except (FileNotFoundError, ValueError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".secret.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32))
        f.flush()
        os.fsync(f.fileno())
    try:
        os.link(tmp, path)  # the first process to create it wins; every other one reads that one
    except FileExistsError:
        pass
    finally:
        os.unlink(tmp)
    return bytes.fromhex(path.read_text().strip())


# --- where the files are, and reset ------------------------------------------------------------------------

def state_path(part: str, url: str) -> Path:
    """`<state_dir>/<part>-<port>.state`: named by port, like the demo site's database, so sandboxes side
    by side (SANDBOX_PORT_OFFSET) can share a state dir."""
    return settings().state_dir / f"{part}-{port_of(url)}.state"


def sandbox_ports() -> set[int]:
    s = settings()
    return {port_of(url) for url in (s.aws_endpoint_url, s.okta_public_url, s.cognito_hosted_ui_url, s.demo_site_url)
            if url}


def enabled() -> bool:
    return settings().persist


def _ports_of(name: str) -> set[int]:
    """The port in `<part>-<port>.state...` or `demo-<port>.sqlite3...`."""
    port = name.lstrip(".").split("-", 1)[-1].split(".", 1)[0]
    return {int(port)} if port.isdigit() else set()


def reset(new_keys: bool = False, ports: set[int] | None = None) -> list[Path]:
    """Wipe what users made (the parties' state files, the demo site's databases), of the sandbox on
    `ports` or (None) of every sandbox using the state dir, with the Lambda code cache; keep the signing
    keys (Okta's, each Cognito pool's) unless `new_keys`. Returns what was removed."""
    root = settings().state_dir
    if not root.is_dir():
        return []
    doomed = [p for p in root.iterdir()
              if (".state" in p.name or (p.name.startswith("demo-") and ".sqlite3" in p.name))
              and (ports is None or _ports_of(p.name) & ports)]
    if ports is None:
        doomed.append(root / "lambda")
    if new_keys:
        doomed += [root / "okta", root / "cognito", root / "hosted-ui"]
    removed = []
    for path in doomed:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
        else:
            continue
        removed.append(path)
    return removed
