"""Hot reload: a saved file in a function's source folder redeploys it through the Lambda API.

Like LocalStack's hot reload and `sam sync --watch`: while the sandbox runs, a thread polls each
function's folder (sandbox/functions.py: trigger/, profile_api/, or your own) for changed files (names,
sizes, modification times; no dependency, no inotify limits), and on a change zips the folder as
provisioning does and calls UpdateFunctionCode. The next invocation runs the new code (the runtime keys
its warm workers by CodeSha256). A Python file that does not compile is reported and not deployed: the
function keeps its last good code. `SANDBOX_HOT_RELOAD=0` turns it off.
"""

from __future__ import annotations

import base64
import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError

from sandbox.aws import client
from sandbox.config import env
from sandbox.functions import Function, functions
from sandbox.provision.lambdas import zip_source

POLL_SECONDS = 0.5


@dataclass(frozen=True)
class HotReloadSettings:
    enabled: bool
    poll_seconds: float


def hot_reload_settings() -> HotReloadSettings:
    return HotReloadSettings(enabled=env("SANDBOX_HOT_RELOAD", "1") not in ("0", "false", "no", ""),
                             poll_seconds=float(env("SANDBOX_HOT_RELOAD_POLL_SECONDS", str(POLL_SECONDS))))


def snapshot(folder: Path) -> tuple:
    """What a change of the folder changes: every file's path, size and modification time."""
    entries = []
    for path in folder.rglob("*"):
        if "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        try:
            stat = path.stat()
        except OSError:  # removed while we looked
            continue
        if not path.is_dir():
            entries.append((str(path.relative_to(folder)), stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(entries))


def syntax_error(folder: Path) -> str | None:
    """The first Python file of the folder that does not compile, as `file line N: message`."""
    for path in sorted(folder.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        try:
            compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
        except SyntaxError as exc:
            return f"{path.relative_to(folder)} line {exc.lineno}: {exc.msg}"
        except (OSError, ValueError) as exc:
            return f"{path.relative_to(folder)}: {exc}"
    return None


def code_sha256(code: bytes) -> str:
    return base64.b64encode(hashlib.sha256(code).digest()).decode()


class Watcher:
    def __init__(self, watched: tuple[Function, ...], poll_seconds: float, say=print):
        self.watched = [fn for fn in watched if fn.source.is_dir()]
        self.poll_seconds = poll_seconds
        self.say = say
        self._seen = {fn.name: snapshot(fn.source) for fn in self.watched}
        self._pending: dict[str, tuple] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hot-reload", daemon=True)

    def start(self) -> Watcher:
        if self.watched:
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self.poll_seconds):
            for fn in self.watched:
                try:
                    self.check(fn)
                except Exception as exc:  # keep watching: a failed update is said, not fatal
                    self.say(f"[hot reload] {fn.name}: not updated: {exc}")

    def check(self, fn: Function) -> None:
        """Redeploy once the folder has changed and then stayed the same for one poll (an editor's save
        may be several writes)."""
        now = snapshot(fn.source)
        if now == self._seen[fn.name]:
            self._pending.pop(fn.name, None)
            return
        if self._pending.get(fn.name) != now:
            self._pending[fn.name] = now
            return
        del self._pending[fn.name]
        self._seen[fn.name] = now
        error = syntax_error(fn.source)
        if error:
            self.say(f"[hot reload] {fn.name}: not updated, {fn.source}/{error}; the deployed code keeps running")
            return
        code = zip_source(str(fn.source))
        lam = client("lambda")
        if lam.get_function(FunctionName=fn.name)["Configuration"]["CodeSha256"] == code_sha256(code):
            return  # saved without a change (or changed back)
        try:
            lam.update_function_code(FunctionName=fn.name, ZipFile=code)
            lam.get_waiter("function_updated_v2").wait(FunctionName=fn.name, WaiterConfig={"Delay": 1})
        except (ClientError, BotoCoreError) as exc:
            self.say(f"[hot reload] {fn.name}: not updated: {exc}")
            return
        self.say(f"[hot reload] updated {fn.name} from {fn.source} (CodeSha256 {code_sha256(code)})")


def start() -> Watcher | None:
    """Watch every function's source folder (the sandbox calls this once it has provisioned)."""
    cfg = hot_reload_settings()
    if not cfg.enabled:
        return None
    return Watcher(functions(), cfg.poll_seconds, say=lambda line: print(line, flush=True)).start()
