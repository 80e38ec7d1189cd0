"""The sandbox's Lambda functions: the seed's list, each one's code folder and handler a setting.

`SANDBOX_PRESIGNUP_SOURCE=~/my-app/presignup SANDBOX_PRESIGNUP_HANDLER=app.handle` deploys your own
PreSignUp trigger under the seed's function name (same role, pool trigger, timeout, USER_TABLE); the
API's function is `SANDBOX_API_SOURCE` / `SANDBOX_API_HANDLER`. A relative folder is taken from the
current directory; the seed's own folders (trigger/, profile_api/) from the repository. Provisioning zips
the folder (sandbox/provision/lambdas.py); hot reload (sandbox/hot_reload.py) watches it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sandbox.config import ROOT, env, seed


class SourceFolderMissing(ValueError):
    """A function's source setting names no folder (the sandbox command says so and stops)."""


@dataclass(frozen=True)
class Function:
    name: str
    setting: str  # the environment prefix of its settings: SANDBOX_<setting>_SOURCE, _HANDLER
    source: Path
    handler: str
    timeout: int
    environment: dict

    def as_seed(self) -> dict:
        """The seed's shape, as provisioning reads it."""
        return {"name": self.name, "source": str(self.source), "handler": self.handler, "timeout": self.timeout,
                "environment": self.environment}


@lru_cache(maxsize=1)
def functions() -> tuple[Function, ...]:
    found = []
    for fn in seed()["lambda"]["functions"]:
        prefix = f"SANDBOX_{fn['setting']}"
        own = env(f"{prefix}_SOURCE", "")
        if own and not Path(own).expanduser().is_dir():
            raise SourceFolderMissing(f"{prefix}_SOURCE={own}: no such folder")
        found.append(Function(
            name=fn["name"], setting=fn["setting"],
            source=Path(own).expanduser().resolve() if own else ROOT / fn["source"],
            handler=env(f"{prefix}_HANDLER", fn["handler"]),
            timeout=fn["timeout"], environment=fn["environment"]))
    return tuple(found)


def function(setting: str) -> Function:
    """The function of one role: "PRESIGNUP" or "API"."""
    return next(fn for fn in functions() if fn.setting == setting)
