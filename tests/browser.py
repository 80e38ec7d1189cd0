"""Debian's chromium for Playwright (which cannot download its own browsers offline)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Quiet and offline: no sandbox (CI runs as root), no GPU, no calls home.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


def find_chromium() -> str:
    """The path of a Chromium binary: CHROMIUM_PATH, /usr/bin/chromium, or one on PATH; raise otherwise."""
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        if Path(explicit).is_file() and os.access(explicit, os.X_OK):
            return explicit
        raise FileNotFoundError(f"CHROMIUM_PATH={explicit} is not an executable file")
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise FileNotFoundError("chromium not found: `apt-get install chromium`, or set CHROMIUM_PATH")


def launch(playwright):
    """A headless Chromium driven by Playwright through executable_path."""
    return playwright.chromium.launch(executable_path=find_chromium(), headless=True, args=ARGS)
