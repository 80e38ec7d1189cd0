"""Per-pool RS256 signing keys: one for ID tokens, one for access tokens, as Cognito has.

Kept as PEM files under `<state_dir>/cognito/<poolId>/` (written atomically), so the JWKS and every
token stay valid across restarts; loaded once per pool and cached in memory.
"""

from __future__ import annotations

import base64
import hashlib
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.utils import to_base64url_uint

TOKEN_USES = ("id", "access")


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: rsa.RSAPrivateKey

    def public_jwk(self) -> dict:
        numbers = self.private_key.public_key().public_numbers()
        return {"alg": "RS256", "e": to_base64url_uint(numbers.e).decode(), "kid": self.kid, "kty": "RSA",
                "n": to_base64url_uint(numbers.n).decode(), "use": "sig"}


def _kid(key: rsa.RSAPrivateKey) -> str:
    """A stable kid: base64 of the public key's SHA-256 (Cognito's kids are 44-character base64)."""
    der = key.public_key().public_bytes(serialization.Encoding.DER,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


def _create_exclusively(path: Path, data: bytes) -> None:
    """Write a complete file, then link it into place: readers never see half a key, and when two
    processes race, link() fails for the second and both use the first one's key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
    try:
        os.chmod(tmp, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
    finally:
        os.unlink(tmp)


def _load_or_create(path: Path) -> rsa.RSAPrivateKey:
    if not path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        _create_exclusively(path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                    serialization.NoEncryption()))
    # A key this sandbox generated and wrote itself (above): its RSA checks (~0.04 s a key) are skipped,
    # as cryptography allows for trusted keys (load_pem_private_key's unsafe_skip_rsa_key_validation).
    return serialization.load_pem_private_key(path.read_bytes(), password=None, unsafe_skip_rsa_key_validation=True)


class KeyStore:
    """The pools' keys, each pool's loaded (or generated) once."""

    def __init__(self, root: Path):
        self.root = root
        self._lock = threading.Lock()
        self._keys: dict[str, dict[str, SigningKey]] = {}

    def keys(self, pool_id: str) -> dict[str, SigningKey]:
        """{"id": SigningKey, "access": SigningKey} for a pool (the caller has checked it exists)."""
        found = self._keys.get(pool_id)
        if found is not None:
            return found
        with self._lock:
            if pool_id not in self._keys:
                folder = self.root / pool_id
                loaded = {use: _load_or_create(folder / f"{use}.pem") for use in TOKEN_USES}
                self._keys[pool_id] = {use: SigningKey(_kid(key), key) for use, key in loaded.items()}
            return self._keys[pool_id]

    def jwks(self, pool_id: str) -> dict:
        return {"keys": [key.public_jwk() for key in self.keys(pool_id).values()]}
