"""Reports what the function can see: its interpreter, sys.path, and which modules import."""

import importlib
import sys


def lambda_handler(event, context):
    found = {}
    for name in event.get("modules", []):
        try:
            module = importlib.import_module(name)
            found[name] = getattr(module, "__file__", "") or "built-in"
        except ImportError as exc:
            found[name] = f"ImportError: {exc}"
    return {"version": "%d.%d" % sys.version_info[:2], "executable": sys.executable, "path": sys.path,
            "modules": found}
