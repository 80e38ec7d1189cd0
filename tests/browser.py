"""Debian's chromium for Playwright (which cannot download its own browsers offline)."""

from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

import requests

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


def http_sign_in(demo: str, user: dict, session: requests.Session | None = None) -> requests.Response:
    """The browser's part of the flow with requests (no chromium): the demo site's Sign in, Cognito's login
    page and its "Sign in with Okta" button, Okta's form. Returns the last answer (the profile page)."""
    browser = session or requests.Session()
    login_page = browser.get(demo + "/oidc/authenticate/", timeout=20)
    assert "/login?" in login_page.url, login_page.url
    okta_button = html.unescape(re.search(r'id="idp-Okta" href="([^"]+)"', login_page.text).group(1))
    okta_page = browser.get(urljoin(login_page.url, okta_button), timeout=20)
    action = html.unescape(re.search(r'<form method="post" action="([^"]+)"', okta_page.text).group(1))
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', okta_page.text))
    return browser.post(urljoin(okta_page.url, action), timeout=30,
                        data={**fields, "username": user["login"], "password": user["password"]})
