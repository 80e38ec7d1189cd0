"""Run-time scenarios for tests and demos: refuse the next sign-in, make endpoints fail or slow.

Delays wait on an Event that `clear()` sets, so deleting the scenarios releases every waiting request at
once; the server is threaded, so a delayed request never blocks others.
"""

from __future__ import annotations

import copy
import threading

from mock_idp.errors import ApiValidationFailed

# The shape of every accepted key: {key: {sub-key: type}} for endpoint scenarios, or a bool flag.
ENDPOINT_KEYS = {"token_endpoint": ("status", "delay_seconds"), "userinfo": ("status", "delay_seconds"),
                 "jwks": ("status", "delay_seconds")}
FLAG_KEYS = ("deny_next_signin",)
MAX_DELAY_SECONDS = 120


def validate(update: object) -> dict:
    """Reject anything but known keys with sane values (Okta-style validation error, never a 500)."""
    if not isinstance(update, dict):
        raise ApiValidationFailed("Api validation failed: scenarios", ["The body must be a JSON object."])
    problems = []
    for key, value in update.items():
        if key in FLAG_KEYS:
            if not isinstance(value, bool):
                problems.append(f"{key}: must be true or false")
        elif key in ENDPOINT_KEYS:
            if not isinstance(value, dict) or not value:
                problems.append(f"{key}: must be an object with {' or '.join(ENDPOINT_KEYS[key])}")
                continue
            for sub, sub_value in value.items():
                if sub == "status":
                    if not (isinstance(sub_value, int) and not isinstance(sub_value, bool) and 400 <= sub_value <= 599):
                        problems.append(f"{key}.status: must be an HTTP error status (400-599)")
                elif sub == "delay_seconds":
                    if not (isinstance(sub_value, (int, float)) and not isinstance(sub_value, bool)
                            and 0 <= sub_value <= MAX_DELAY_SECONDS):
                        problems.append(f"{key}.delay_seconds: must be a number from 0 to {MAX_DELAY_SECONDS}")
                else:
                    problems.append(f"{key}.{sub}: unknown setting")
        else:
            problems.append(f"{key}: unknown scenario (known: {', '.join(FLAG_KEYS + tuple(ENDPOINT_KEYS))})")
    if problems:
        raise ApiValidationFailed("Api validation failed: scenarios", problems)
    return update


class Scenarios:
    def __init__(self):
        self._lock = threading.Lock()
        self._active: dict = {}
        self._cleared = threading.Event()

    def snapshot(self) -> dict:
        with self._lock:
            return copy.deepcopy(self._active)

    def merge(self, update: dict) -> dict:
        validate(update)
        with self._lock:
            for key, value in update.items():
                if isinstance(value, dict):
                    self._active[key] = {**self._active.get(key, {}), **value}
                elif value:
                    self._active[key] = value
                else:
                    self._active.pop(key, None)
            return copy.deepcopy(self._active)

    def clear(self) -> None:
        with self._lock:
            self._active = {}
            self._cleared.set()  # releases every delayed request
            self._cleared = threading.Event()

    def take_flag(self, key: str) -> bool:
        """Pop a one-shot flag (`deny_next_signin`): true once, then it is gone."""
        with self._lock:
            return bool(self._active.pop(key, False))

    def endpoint(self, key: str) -> tuple[float, int | None, threading.Event]:
        with self._lock:
            found = self._active.get(key, {})
            return float(found.get("delay_seconds", 0)), found.get("status"), self._cleared

    def apply(self, key: str) -> int | None:
        """Wait out the endpoint's delay (cut short by clear()), then give its failure status, if any."""
        delay, status, cleared = self.endpoint(key)
        if delay and cleared.wait(delay):
            return None  # scenarios were cleared while waiting: answer normally
        return status
