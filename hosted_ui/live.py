"""The pool's configuration, read through the AWS API: a change made with boto3 or the AWS CLI applies on
the next request.

Within one request a read is made once (`request_scope()`, entered by the WSGI app, memoises them; a write
forgets what it changes). Across requests a read is kept while the AWS endpoint's change counters for the
pool have not moved (aws_endpoint/cognito/changes.py: every Cognito write bumps them after it applied):
each request asks for them once (one internal GET instead of ~15 API calls per sign-in) and reads afresh
only what changed, config (pool, clients, IdPs) and users (AdminGetUser, groups) apart. Real AWS has no
such counters: against it (or an endpoint that does not answer them) every request reads live, as
`keep_reads` off does.

The hosted UI's own write of a user (the mapped attributes at every federated sign-in, the user it
creates) moves the users counter by one, and what that user is now is known (`wrote_user`): so what was
kept, with that user as written, is the pool's users at the next count, provided that write was the only
one. A later request can tell: if the counter it asked for after the write had returned is exactly one
more, nothing else was written (the next sign-in's token request, and the one after it, read no user).

The domain's pool id is kept for a short time: real Cognito takes up to a minute for a prefix domain to
take effect (CreateUserPoolDomain and UpdateUserPoolDomain in the Cognito API reference: "Your prefix
domain might take up to one minute to take effect"), so no client can rely on a domain change applying
sooner. A read that says that pool does not exist drops it at once and raises `StalePool`: app.py then
serves the request once more, with the domain resolved afresh."""

from __future__ import annotations

import contextvars
import pickle
import itertools
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable

import requests
from botocore.exceptions import ClientError

from hosted_ui.aws import Aws
from hosted_ui.errors import ErrorPage
from hosted_ui.settings import Settings

# Cognito's defaults when a client sets no validity (app-client docs): 60 minutes, 60 minutes, 30 days.
DEFAULT_VALIDITY = {"AccessToken": (60, "minutes"), "IdToken": (60, "minutes"), "RefreshToken": (30, "days")}
UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}


class StalePool(Exception):
    """The pool id remembered for the domain names a pool that no longer exists: serve the request again."""


@dataclass
class _Scope:
    reads: dict  # (what, *args) -> answer, for this request only
    pool_from_cache: bool = False
    versions: dict = field(default_factory=dict)  # pool id -> its change counters (None: read live)
    asked: dict = field(default_factory=dict)  # pool id -> the tick (Live._ticks) its counters were asked at


@dataclass(frozen=True)
class _Claim:
    """What the pool's users are at `version` if this process's write, which returned by `tick`, was the
    only one since the counter it read before it."""
    version: str
    tick: int
    answers: dict


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


def _kind(key: tuple) -> str:
    """Which change counter a read follows (changes.py's kinds)."""
    return "users" if key[0] in ("user", "groups") else "config"


def _one_more(version: str) -> str | None:
    """The pool's users version after one more write to that pool: changes.py's versions end in the
    pool's own count (`<boot>.<writes naming no pool>.<writes to this pool>`); None if this one does not."""
    head, _, count = version.rpartition(".")
    return f"{head}.{int(count) + 1}" if head and count.isdigit() else None


NOT_FOUND = ("ResourceNotFoundException", "UserNotFoundException")  # the AWS API's "no such thing"


class Live:
    """One hosted UI's reads of its pool: memoised per request, and the domain's pool id remembered."""

    def __init__(self, cfg: Settings, aws: Aws, monotonic: Callable[[], float] = time.monotonic):
        self._cfg, self._aws, self._monotonic = cfg, aws, monotonic
        # Per instance: two hosted UIs in one process keep their own request scopes.
        self._scope: contextvars.ContextVar[_Scope | None] = contextvars.ContextVar(
            f"hosted_ui_live_scope_{id(self)}", default=None)
        self._domain_lock = threading.Lock()
        self._domain_pool: dict[str, tuple[str, float]] = {}  # domain -> (pool id, monotonic time resolved)
        self._keep = cfg.keep_reads
        self._kept_lock = threading.Lock()
        self._kept: dict[tuple[str, str], tuple[str, dict]] = {}  # (kind, pool id) -> (version, key -> pickled answer)
        self._claims: dict[str, _Claim] = {}  # pool id -> the users as this process last wrote them
        self._ticks = itertools.count(1)  # orders counter reads after claims (taken under _kept_lock)

    @contextmanager
    def request_scope(self):
        """Every read inside is made at most once; the scope ends with the request."""
        token = self._scope.set(_Scope({}))
        try:
            yield
        finally:
            self._scope.reset(token)

    def _memo(self, key: tuple, read):
        scope = self._scope.get()
        if scope is None:
            return read()
        if key not in scope.reads:
            scope.reads[key] = self._kept_or_read(scope, key, read)
        return scope.reads[key]

    def _versions(self, scope: _Scope, pool_id: str) -> dict | None:
        """The pool's change counters, asked once per request; None: read live (no counters here)."""
        if not self._keep:
            return None
        if pool_id not in scope.versions:
            with self._kept_lock:
                scope.asked[pool_id] = next(self._ticks)
            try:
                scope.versions[pool_id] = self._aws.get_json(f"/_sandbox/cognito-idp/{pool_id}/changes")
            except (requests.RequestException, ValueError) as exc:
                if isinstance(exc, requests.HTTPError) and exc.response is not None \
                        and exc.response.status_code == 404:
                    self._keep = False  # an AWS endpoint without the counters: read live from now on
                scope.versions[pool_id] = None
        return scope.versions[pool_id]

    def _kept_or_read(self, scope: _Scope, key: tuple, read):
        """A read kept from an earlier request while its counter has not moved; else read and keep it.
        The counter was asked before the read, so what is kept is at least as new as its version."""
        versions = self._versions(scope, key[1])
        if versions is None:
            return read()
        kind = _kind(key)
        version = versions.get(kind)
        with self._kept_lock:
            kept_version, answers = self._kept_at(scope, kind, key[1], version)
            if kept_version == version and key in answers:
                # A caller may change its copy; the kept one stays (kept pickled: loading is ~8x faster
                # than a deepcopy of a pool's description, which showed in the profile).
                return pickle.loads(answers[key])
        answer = read()
        with self._kept_lock:
            kept_version, answers = self._kept.get((kind, key[1]), (None, {}))
            if kept_version != version:
                answers = {}
                self._kept[(kind, key[1])] = (version, answers)
            answers[key] = pickle.dumps(answer)
        return answer

    def _kept_at(self, scope: _Scope, kind: str, pool_id: str, version: str) -> tuple[str | None, dict]:
        """What is kept for (kind, pool); a claim becomes it when this request's counter, asked after the
        claim was made (so after its write had returned), is the claimed version: then that write was the
        only one. Called under _kept_lock."""
        kept = self._kept.get((kind, pool_id), (None, {}))
        claim = self._claims.get(pool_id) if kind == "users" else None
        if kept[0] != version and claim is not None and claim.version == version \
                and claim.tick < scope.asked[pool_id]:
            kept = self._kept[(kind, pool_id)] = (version, claim.answers)
            del self._claims[pool_id]
        return kept

    def wrote_user(self, pool_id: str, user: User) -> None:
        """This request wrote `user` (one write, which has returned) and knows what it is now: this
        request reads that, and so do requests already under way at the counter before the write (a newer
        answer under an older counter costs at most a re-read); later ones may take the claim that nothing
        else changed (_kept_at)."""
        key = ("user", pool_id, user.username)
        scope = self._scope.get()
        before = ((scope.versions.get(pool_id) or {}).get("users")) if scope is not None else None
        after = _one_more(before) if before else None
        if scope is not None:
            scope.reads[key] = user
        with self._kept_lock:
            kept_version, answers = self._kept.get(("users", pool_id), (None, {}))
            if kept_version == before and before is not None:
                answers[key] = pickle.dumps(user)
            else:
                answers.pop(key, None)
            if after is not None:
                claimed = answers if kept_version == before else {key: pickle.dumps(user)}
                self._claims[pool_id] = _Claim(after, next(self._ticks), dict(claimed))

    def forget_user(self, pool_id: str, username: str) -> None:
        """A write changed the user: this request's next read of it asks AWS again."""
        scope = self._scope.get()
        if scope is not None:
            for key in [k for k in scope.reads if k[0] in ("user", "groups") and k[1:] == (pool_id, username)]:
                del scope.reads[key]
        with self._kept_lock:  # the write moved the users counter too; this only saves keeping it twice
            _, answers = self._kept.get(("users", pool_id), (None, {}))
            for key in [k for k in answers if k[1:] == (pool_id, username)]:
                del answers[key]

    def pool_gone(self, pool_id: str) -> None:
        """A call said the pool does not exist: forget the domain's pool id; if this request used the
        remembered one, raise StalePool so the request is served again with the domain resolved afresh."""
        with self._domain_lock:
            if self._domain_pool.get(self._cfg.domain, ("",))[0] == pool_id:
                del self._domain_pool[self._cfg.domain]
        with self._kept_lock:
            for kind in ("config", "users"):
                self._kept.pop((kind, pool_id), None)
            self._claims.pop(pool_id, None)
        scope = self._scope.get()
        if scope is not None and scope.pool_from_cache:
            raise StalePool(pool_id)

    def _check_pool(self, exc: ClientError, pool_id: str) -> None:
        # The AWS API's message for an unknown pool: "User pool <id> does not exist."
        if exc.response["Error"]["Code"] == "ResourceNotFoundException" and \
                f"User pool {pool_id} does not exist" in exc.response["Error"].get("Message", ""):
            self.pool_gone(pool_id)

    def _resolve_domain(self) -> str:
        found = self._aws.cognito().describe_user_pool_domain(Domain=self._cfg.domain).get("DomainDescription", {})
        if not found.get("UserPoolId"):
            raise ErrorPage("The user pool domain does not exist.", status=404)
        return found["UserPoolId"]

    def pool_id(self) -> str:
        """The pool of this hosted UI's domain (remembered for `domain_cache_ttl` seconds)."""
        scope = self._scope.get()
        if scope is not None and ("pool_id",) in scope.reads:
            return scope.reads[("pool_id",)]
        domain, ttl = self._cfg.domain, self._cfg.domain_cache_ttl
        cached = self._domain_pool.get(domain)
        if cached and self._monotonic() - cached[1] < ttl:
            found = cached[0]
            if scope is not None:
                scope.pool_from_cache = True
        else:
            found = self._resolve_domain()
            if ttl > 0:
                with self._domain_lock:
                    self._domain_pool[domain] = (found, self._monotonic())
        if scope is not None:
            scope.reads[("pool_id",)] = found
        return found

    def _ask(self, pool_id: str, call, absent: tuple[str, ...] = ()):
        """call()'s answer; an error saying the pool does not exist is pool_gone's; one whose code is in
        `absent` means there is no such thing (None)."""
        try:
            return call()
        except ClientError as exc:
            self._check_pool(exc, pool_id)
            if exc.response["Error"]["Code"] in absent:
                return None
            raise

    def pool(self, pool_id: str) -> dict:
        return self._memo(("pool", pool_id), lambda: self._ask(
            pool_id, lambda: self._aws.cognito().describe_user_pool(UserPoolId=pool_id)["UserPool"]))

    def app_client(self, pool_id: str, client_id: str) -> dict | None:
        if not client_id:
            return None
        return self._memo(("client", pool_id, client_id), lambda: self._ask(
            pool_id, lambda: self._aws.cognito().describe_user_pool_client(
                UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"],
            NOT_FOUND + ("InvalidParameterException",)))

    def identity_provider(self, pool_id: str, name: str) -> dict | None:
        return self._memo(("idp", pool_id, name), lambda: self._ask(
            pool_id, lambda: self._aws.cognito().describe_identity_provider(
                UserPoolId=pool_id, ProviderName=name)["IdentityProvider"], NOT_FOUND))

    def user(self, pool_id: str, username: str) -> User | None:
        def read():
            found = self._ask(pool_id, lambda: self._aws.cognito().admin_get_user(
                UserPoolId=pool_id, Username=username), NOT_FOUND)
            return None if found is None else User.from_json(found)
        return self._memo(("user", pool_id, username), read)

    def groups(self, pool_id: str, username: str) -> list[str]:
        def read():
            found = self._ask(pool_id, lambda: self._aws.cognito().admin_list_groups_for_user(
                UserPoolId=pool_id, Username=username).get("Groups", []))
            return sorted(g["GroupName"] for g in found)
        return list(self._memo(("groups", pool_id, username), read))


def validity_seconds(client: dict, token: str) -> int:
    """A token's lifetime from the client's validity settings (the units default as Cognito's do)."""
    default_value, default_unit = DEFAULT_VALIDITY[token]
    value = client.get(f"{token}Validity") or default_value
    unit = (client.get("TokenValidityUnits") or {}).get(token) or (
        default_unit if not client.get(f"{token}Validity") else {"RefreshToken": "days"}.get(token, "hours"))
    return int(value) * UNIT_SECONDS[unit]
