"""The mock Okta's state: users, clients, sign-in sessions, pending sign-ins, codes and refresh tokens.

In memory, behind one lock per collection. Single-use things (codes, finished sign-in pages) are popped
on read: `None` means unknown, used or expired, and there is no "used" flag to forget.
"""

from __future__ import annotations

import hmac
import secrets
import string
import threading
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone


def okta_id(prefix: str) -> str:
    """An Okta-style object id: a 3-character type prefix and 17 more characters, 20 in all."""
    alphabet = string.ascii_letters + string.digits
    return prefix + "".join(secrets.choice(alphabet) for _ in range(17))


def iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


@dataclass(frozen=True)
class User:
    id: str
    login: str
    password: str
    given_name: str
    family_name: str
    email: str
    groups: tuple[str, ...] = ("Everyone",)
    status: str = "ACTIVE"  # Okta: STAGED, PROVISIONED, ACTIVE, SUSPENDED, DEPROVISIONED, …
    created: float = 0.0
    status_changed: float | None = None
    last_login: float | None = None

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    def can_sign_in(self) -> bool:
        return self.status == "ACTIVE"

    def password_matches(self, password: str) -> bool:
        return hmac.compare_digest(self.password.encode(), password.encode())


@dataclass(frozen=True)
class Client:
    client_id: str
    client_secret: str | None
    name: str
    redirect_uris: tuple[str, ...]
    post_logout_redirect_uris: tuple[str, ...]
    token_endpoint_auth_method: str
    grant_types: tuple[str, ...]

    @property
    def confidential(self) -> bool:
        return self.token_endpoint_auth_method != "none"

    @classmethod
    def from_seed(cls, data: dict) -> "Client":
        return cls(data["client_id"], data.get("client_secret"), data.get("name", data["client_id"]),
                   tuple(data.get("redirect_uris", ())), tuple(data.get("post_logout_redirect_uris", ())),
                   data.get("token_endpoint_auth_method", "client_secret_basic"),
                   tuple(data.get("grant_types", ("authorization_code",))))


@dataclass(frozen=True)
class AuthorizeRequest:
    """A validated /v1/authorize request: what the code (and the tokens) will be bound to."""

    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    state: str
    nonce: str | None
    code_challenge: str | None
    prompt: str | None
    response_mode: str = "query"  # query, fragment or form_post: how the code (or error) goes back
    login_hint: str | None = None  # prefills the sign-in form's username


@dataclass(frozen=True)
class Grant:
    """What an authorization code or a refresh token stands for."""

    request: AuthorizeRequest
    user_id: str
    auth_time: int
    expires_at: float


@dataclass(frozen=True)
class RefreshToken:
    client_id: str
    user_id: str
    scopes: tuple[str, ...]
    auth_time: int
    expires_at: float
    issued_at: float


@dataclass(frozen=True)
class Session:
    user_id: str
    auth_time: int
    expires_at: float


class Expiring:
    """A thread-safe dict of things with an `expires_at`, with pop-on-read for single-use things.

    Bounded: every insert drops expired entries from the oldest end, and when the store holds more than
    `max_items` the oldest entries go, so unauthenticated requests (a GET /v1/authorize stores a pending
    sign-in) cannot grow memory without limit. `max_items=None` only for things that must not be forgotten
    early (revoked tokens: forgetting one would make it valid again)."""

    PRUNE_EVERY = 1000  # a full sweep now and then, for entries whose expiry is not in insertion order

    def __init__(self, max_items: int | None = None):
        self._items: dict[str, object] = {}
        self._lock = threading.Lock()
        self._puts = 0
        self.max_items = max_items

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def put(self, key: str, value, now: float) -> str:
        with self._lock:
            self._items.pop(key, None)  # a re-put key counts as the newest
            self._items[key] = value
            self._puts += 1
            if self._puts % self.PRUNE_EVERY == 0:
                for old in [k for k, v in self._items.items() if v.expires_at <= now]:
                    del self._items[old]
            # dicts keep insertion order: the first key is the oldest.
            while self._items:
                oldest = next(iter(self._items))
                over = self.max_items is not None and len(self._items) > self.max_items
                if not over and self._items[oldest].expires_at > now:
                    break
                del self._items[oldest]
        return key

    def get(self, key: str | None, now: float):
        with self._lock:
            value = self._items.get(key or "")
            if value is not None and value.expires_at <= now:
                del self._items[key]
                return None
            return value

    def pop(self, key: str | None, now: float):
        with self._lock:
            value = self._items.pop(key or "", None)
        return value if value is not None and value.expires_at > now else None

    def discard(self, key: str | None) -> None:
        with self._lock:
            self._items.pop(key or "", None)

    def __getstate__(self) -> dict:  # a snapshot (mock_idp/persistence.py): consistent, without the lock
        with self._lock:
            return {"items": dict(self._items), "max_items": self.max_items}

    def __setstate__(self, saved: dict) -> None:
        self.__init__(saved["max_items"])
        self._items = saved["items"]



class Directory:
    """Users (seed plus the ones created at run time through the Users API) and clients, thread-safe."""

    def __init__(self, seed: dict, now: float):
        self._lock = threading.Lock()
        self._users: dict[str, User] = {}
        for u in seed.get("users", []):
            self._add(User(u["id"], u["login"], u["password"], u.get("given_name", ""), u.get("family_name", ""),
                           u.get("email", u["login"]), tuple(u.get("groups", ["Everyone"])),
                           u.get("status", "ACTIVE"), now, now))
        self.clients = {c["client_id"]: Client.from_seed(c) for c in seed.get("clients", [])}

    def _add(self, user: User) -> None:
        self._users[user.id] = user
        self._users[user.login.lower()] = user

    def user(self, id_or_login: str | None) -> User | None:
        """Look a user up by id or (case-insensitive) login, as Okta's Users API does."""
        with self._lock:
            return self._users.get(id_or_login or "") or self._users.get((id_or_login or "").lower())

    def create(self, user: User) -> User | None:
        """Add a user; None when the login is taken."""
        with self._lock:
            if user.login.lower() in self._users:
                return None
            self._add(user)
            return user

    def update(self, user_id: str, **changes) -> User | None:
        with self._lock:
            user = self._users.get(user_id)
            if user is None:
                return None
            updated = replace(user, **changes)
            self._add(updated)
            return updated


# Each unauthenticated GET /v1/authorize stores a pending sign-in (up to ~4 KB with long state and nonce).
MAX_SIGNIN_PAGES = 10_000
MAX_CODES = 10_000
MAX_SESSIONS = 100_000
MAX_REFRESH_TOKENS = 100_000


@dataclass
class State:
    """Everything the mock Okta remembers while it runs."""

    directory: Directory
    # Caps: past them the oldest go first (an old pending sign-in page or code is the least likely to be used).
    codes: Expiring = field(default_factory=lambda: Expiring(MAX_CODES))
    refresh_tokens: Expiring = field(default_factory=lambda: Expiring(MAX_REFRESH_TOKENS))
    sessions: Expiring = field(default_factory=lambda: Expiring(MAX_SESSIONS))
    signin_pages: Expiring = field(default_factory=lambda: Expiring(MAX_SIGNIN_PAGES))
    # Revoked access tokens' jti → their exp, so a revoked JWT stays revoked until it would expire anyway.
    # Uncapped on purpose (dropping one would un-revoke a token); only client-authenticated calls add to it.
    revoked_access: Expiring = field(default_factory=Expiring)


@dataclass(frozen=True)
class PendingSignin:
    """An authorize request waiting on the sign-in form (the form carries only its random key)."""

    request: AuthorizeRequest
    expires_at: float
    # SHA-256 (hex) of the okta_xsrf cookie of the browser that loaded the form: the form's key is only
    # good together with that browser's cookie (login CSRF).
    xsrf_hash: str = ""


@dataclass(frozen=True)
class Revoked:
    expires_at: float
