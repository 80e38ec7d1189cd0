"""Change counters of Cognito's state, so a reader can keep what it read until something changed.

The hosted UI reads its pool's configuration through the AWS API, and a change made through the API must
apply on the next request; reading it all afresh on every request was ~15 API calls per sign-in. Instead
every Cognito write through this endpoint bumps a counter, and the hosted UI reads the counters (one
cheap internal GET, `/_sandbox/cognito-idp/<poolId>/changes`) and keeps its earlier reads while they
have not moved. Two kinds, so first sign-ins (user writes) do not throw away the app clients and IdPs:

- `users`: an operation on users only (every `Admin*` operation, the token-authorised user operations,
  the internal federated-user create); it moves what AdminGetUser and AdminListGroupsForUser answer;
- `config`: any other write (pools, clients, IdPs, domains, groups...); it moves both kinds, since e.g.
  DeleteGroup changes users' groups and DeleteUserPool deletes its users.

A write is bumped *after* moto applied it: a reader that reads the counter first and the state second can
only cache new state under an old counter (one needless re-read later), never old state under a new one.
A write naming no `UserPoolId` (GlobalSignOut with an access token, CreateUserPool...) bumps every pool.
A version carries this process's boot id, so a reader of a restarted endpoint never matches old reads.
Anything that changes Cognito's state in-process outside an API call must call `CHANGES.bump_all()`."""

from __future__ import annotations

import threading
import uuid

from aws_endpoint.protocols import read_body
from sandbox import json_body

TARGET_PREFIX = "AWSCognitoIdentityProviderService."
READS = ("Describe", "Get", "List", "AdminGet", "AdminList")
# Operations on users that are not Admin*: sign-up, the token-authorised self-service ones, sign-in.
USER_OPERATIONS = frozenset({
    "SignUp", "ConfirmSignUp", "ResendConfirmationCode", "ForgotPassword", "ConfirmForgotPassword",
    "ChangePassword", "UpdateUserAttributes", "DeleteUserAttributes", "DeleteUser", "VerifyUserAttribute",
    "GlobalSignOut", "InitiateAuth", "RespondToAuthChallenge", "SetUserMFAPreference", "SetUserSettings",
    "AssociateSoftwareToken", "VerifySoftwareToken", "ConfirmDevice", "ForgetDevice", "UpdateDeviceStatus",
    "RevokeToken", "UpdateAuthEventFeedback"})
KINDS = ("config", "users")


class Changes:
    def __init__(self):
        self._lock = threading.Lock()
        self._boot = uuid.uuid4().hex[:12]
        self._all = {kind: 0 for kind in KINDS}  # bumps that named no pool
        self._pools: dict[str, dict[str, int]] = {}  # pool id -> kind -> bumps

    def bump(self, pool_id: str | None, kind: str = "config") -> None:
        kinds = KINDS if kind == "config" else (kind,)
        with self._lock:
            counts = self._all if pool_id is None else self._pools.setdefault(pool_id, dict.fromkeys(KINDS, 0))
            for k in kinds:
                counts[k] += 1

    def bump_all(self) -> None:
        self.bump(None)

    def versions(self, pool_id: str) -> dict[str, str]:
        with self._lock:
            counts = self._pools.get(pool_id, dict.fromkeys(KINDS, 0))
            return {k: f"{self._boot}.{self._all[k]}.{counts[k]}" for k in KINDS}


CHANGES = Changes()


def write_of(environ) -> tuple[str | None, str] | None:
    """(pool id or None, kind) when this AWS API request is a Cognito write, else None. Reads the JSON
    body, and puts it back for moto."""
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if not target.startswith(TARGET_PREFIX):
        return None
    operation = target[len(TARGET_PREFIX):]
    if operation.startswith(READS):
        return None
    kind = "users" if operation.startswith("Admin") or operation in USER_OPERATIONS else "config"
    body = read_body(environ)
    try:
        parsed = json_body.parse(body, empty={})
    except json_body.BadJSON:
        parsed = None  # refused before moto anyway; bumping every pool is merely cautious
    pool_id = parsed.get("UserPoolId") if isinstance(parsed, dict) else None
    return (pool_id if isinstance(pool_id, str) else None), kind
