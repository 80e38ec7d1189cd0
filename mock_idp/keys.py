"""Signing keys: RS256, persisted in `<state_dir>/okta/keys.json` so they survive restarts; rotation on
demand, with rotated-out public keys still published for a grace period (verifiers cache the JWKS).

Several sandbox processes may start at once on one state dir: reads and writes happen under an
exclusive `flock`, and the file is replaced atomically (write a temp file, then `os.replace`).
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import secrets
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: RSAPrivateKey
    created: float
    retired_at: float | None = None

    def public_jwk(self) -> dict:
        numbers = self.private_key.public_key().public_numbers()
        return {"kty": "RSA", "alg": "RS256", "kid": self.kid, "use": "sig",
                "e": _b64uint(numbers.e), "n": _b64uint(numbers.n)}

    def to_json(self) -> dict:
        pem = self.private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption()).decode()
        return {"kid": self.kid, "created": self.created, "retired_at": self.retired_at, "private_pem": pem}

    @classmethod
    def from_json(cls, data: dict) -> "SigningKey":
        # Our own keys, written by new_key(): skipping cryptography's RSA consistency check (~70 ms a key)
        # keeps start-up fast without trusting anything from outside.
        key = serialization.load_pem_private_key(data["private_pem"].encode(), password=None,
                                                 unsafe_skip_rsa_key_validation=True)
        return cls(data["kid"], key, data["created"], data.get("retired_at"))


def _b64uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def new_key(now: float) -> SigningKey:
    # Okta kids are opaque URL-safe strings of about 43 characters.
    return SigningKey(secrets.token_urlsafe(32), rsa.generate_private_key(public_exponent=65537, key_size=2048), now)


class KeyStore:
    """The active signing key plus recently retired ones, loaded once and kept in memory."""

    def __init__(self, directory: Path, grace_seconds: int, now: float | None = None):
        self.path = directory / "keys.json"
        self.grace = grace_seconds
        self._lock = threading.Lock()
        with self._file_lock():
            keys = self._read()
            if not any(k.retired_at is None for k in keys):
                keys.append(new_key(now or time.time()))
                self._write(keys)
        self._keys = keys

    @contextmanager
    def _file_lock(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _read(self) -> list[SigningKey]:
        try:
            return [SigningKey.from_json(k) for k in json.loads(self.path.read_text())["keys"]]
        except (FileNotFoundError, ValueError, KeyError, TypeError):
            return []  # missing or unreadable: start over with a fresh key

    def _write(self, keys: list[SigningKey]) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".keys.", suffix=".tmp")
        with os.fdopen(fd, "w") as handle:
            json.dump({"keys": [k.to_json() for k in keys]}, handle)
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)

    @property
    def active(self) -> SigningKey:
        return next(k for k in self._keys if k.retired_at is None)

    def published(self, now: float) -> list[SigningKey]:
        """Keys a verifier may meet: the active one, and retired ones still in their grace period."""
        return [k for k in self._keys if k.retired_at is None or now - k.retired_at < self.grace]

    def find(self, kid: str, now: float) -> SigningKey | None:
        return next((k for k in self.published(now) if k.kid == kid), None)

    def jwks(self, now: float) -> dict:
        return {"keys": [k.public_jwk() for k in self.published(now)]}

    def rotate(self, now: float) -> SigningKey:
        """Retire the active key and start signing with a new one (new kid)."""
        with self._lock, self._file_lock():
            current = self._read() or self._keys
            kept = [k if k.retired_at is not None else SigningKey(k.kid, k.private_key, k.created, now)
                    for k in current if k.retired_at is None or now - k.retired_at < self.grace]
            fresh = new_key(now)
            self._keys = kept + [fresh]
            self._write(self._keys)
            return fresh
