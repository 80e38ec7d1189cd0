"""The pool's configuration, read through the AWS API at request time: a change made with boto3 or the
AWS CLI applies on the next request.

Within one request a read is made once (`request_scope()`, entered by the WSGI app, memoises them; a write
forgets what it changes). Across requests nothing is kept, except the domain's pool id, for a short time:
real Cognito takes up to a minute for a prefix domain to take effect (CreateUserPoolDomain and
UpdateUserPoolDomain in the Cognito API reference: "Your prefix domain might take up to one minute to take
effect"), so no client can rely on a domain change applying sooner. A read that says that pool does not
exist drops it at once and the request is served again with the domain resolved afresh (`StalePool`)."""

from __future__ import annotations

import contextvars
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

from botocore.exceptions import ClientError

from hosted_ui.aws import cognito
from hosted_ui.errors import ErrorPage
from hosted_ui.settings import settings

# Cognito's defaults when a client sets no validity (app-client docs): 60 minutes, 60 minutes, 30 days.
DEFAULT_VALIDITY = {"AccessToken": (60, "minutes"), "IdToken": (60, "minutes"), "RefreshToken": (30, "days")}
UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}


class StalePool(Exception):
    """The pool id remembered for the domain names a pool that no longer exists: serve the request again."""


@dataclass
class _Scope:
    reads: dict  # (what, *args) -> answer, for this request only
    pool_from_cache: bool = False


_scope: contextvars.ContextVar[_Scope | None] = contextvars.ContextVar("hosted_ui_live_scope", default=None)
_domain_lock = threading.Lock()
_domain_pool: dict[str, tuple[str, float]] = {}  # domain -> (pool id, monotonic time resolved)


@contextmanager
def request_scope():
    """Every read inside is made at most once; the scope ends with the request."""
    token = _scope.set(_Scope({}))
    try:
        yield
    finally:
        _scope.reset(token)


def _memo(key: tuple, read):
    scope = _scope.get()
    if scope is None:
        return read()
    if key not in scope.reads:
        scope.reads[key] = read()
    return scope.reads[key]


def forget_user(pool_id_: str, username: str) -> None:
    """A write changed the user: this request's next read of it asks AWS again."""
    scope = _scope.get()
    if scope is not None:
        for key in [k for k in scope.reads if k[0] in ("user", "groups") and k[1:] == (pool_id_, username)]:
            del scope.reads[key]


def _not_found(exc: ClientError) -> bool:
    return exc.response["Error"]["Code"] in ("ResourceNotFoundException", "UserNotFoundException")


def pool_gone(pool_id_: str) -> None:
    """A call said the pool does not exist: forget the domain's pool id; if this request used the
    remembered one, raise StalePool so the request is served again with the domain resolved afresh."""
    with _domain_lock:
        if _domain_pool.get(settings().domain, ("",))[0] == pool_id_:
            del _domain_pool[settings().domain]
    scope = _scope.get()
    if scope is not None and scope.pool_from_cache:
        raise StalePool(pool_id_)


def _check_pool(exc: ClientError, pool_id_: str) -> None:
    # The AWS API's message for an unknown pool: "User pool <id> does not exist."
    if exc.response["Error"]["Code"] == "ResourceNotFoundException" and \
            f"User pool {pool_id_} does not exist" in exc.response["Error"].get("Message", ""):
        pool_gone(pool_id_)


def _resolve_domain() -> str:
    found = cognito().describe_user_pool_domain(Domain=settings().domain).get("DomainDescription", {})
    if not found.get("UserPoolId"):
        raise ErrorPage("The user pool domain does not exist.", status=404)
    return found["UserPoolId"]


def pool_id() -> str:
    """The pool of this hosted UI's domain (remembered for `domain_cache_ttl` seconds)."""
    scope = _scope.get()
    if scope is not None and ("pool_id",) in scope.reads:
        return scope.reads[("pool_id",)]
    domain, ttl = settings().domain, settings().domain_cache_ttl
    cached = _domain_pool.get(domain)
    if cached and time.monotonic() - cached[1] < ttl:
        found = cached[0]
        if scope is not None:
            scope.pool_from_cache = True
    else:
        found = _resolve_domain()
        if ttl > 0:
            with _domain_lock:
                _domain_pool[domain] = (found, time.monotonic())
    if scope is not None:
        scope.reads[("pool_id",)] = found
    return found


def pool(pool_id_: str) -> dict:
    def read():
        try:
            return cognito().describe_user_pool(UserPoolId=pool_id_)["UserPool"]
        except ClientError as exc:
            _check_pool(exc, pool_id_)
            raise
    return _memo(("pool", pool_id_), read)


def app_client(pool_id_: str, client_id: str) -> dict | None:
    if not client_id:
        return None

    def read():
        try:
            return cognito().describe_user_pool_client(UserPoolId=pool_id_, ClientId=client_id)["UserPoolClient"]
        except ClientError as exc:
            _check_pool(exc, pool_id_)
            if _not_found(exc) or exc.response["Error"]["Code"] == "InvalidParameterException":
                return None
            raise
    return _memo(("client", pool_id_, client_id), read)


def identity_provider(pool_id_: str, name: str) -> dict | None:
    def read():
        try:
            return cognito().describe_identity_provider(UserPoolId=pool_id_, ProviderName=name)["IdentityProvider"]
        except ClientError as exc:
            _check_pool(exc, pool_id_)
            if _not_found(exc):
                return None
            raise
    return _memo(("idp", pool_id_, name), read)


@dataclass(frozen=True)
class User:
    username: str
    status: str
    enabled: bool
    attributes: dict[str, str]

    @property
    def sub(self) -> str:
        return self.attributes["sub"]

    @classmethod
    def from_json(cls, found: dict) -> "User":
        """From admin_get_user's answer (or the internal create's, which has the same shape)."""
        return cls(found["Username"], found["UserStatus"], found.get("Enabled", True),
                   {a["Name"]: a["Value"] for a in found.get("UserAttributes", [])})


def user(pool_id_: str, username: str) -> User | None:
    def read():
        try:
            found = cognito().admin_get_user(UserPoolId=pool_id_, Username=username)
        except ClientError as exc:
            _check_pool(exc, pool_id_)
            if _not_found(exc):
                return None
            raise
        return User.from_json(found)
    return _memo(("user", pool_id_, username), read)


def groups(pool_id_: str, username: str) -> list[str]:
    def read():
        try:
            found = cognito().admin_list_groups_for_user(UserPoolId=pool_id_, Username=username).get("Groups", [])
        except ClientError as exc:
            _check_pool(exc, pool_id_)
            raise
        return sorted(g["GroupName"] for g in found)
    return list(_memo(("groups", pool_id_, username), read))


def validity_seconds(client: dict, token: str) -> int:
    """A token's lifetime from the client's validity settings (the units default as Cognito's do)."""
    default_value, default_unit = DEFAULT_VALIDITY[token]
    value = client.get(f"{token}Validity") or default_value
    unit = (client.get("TokenValidityUnits") or {}).get(token) or (
        default_unit if not client.get(f"{token}Validity") else {"RefreshToken": "days"}.get(token, "hours"))
    return int(value) * UNIT_SECONDS[unit]
