"""Seed steps e, l, m: find the federated user, or create it after the PreSignUp trigger allows it; a
returning user passes PreAuthentication and PostAuthentication (triggers.py has which fire when)."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from hosted_ui import live, triggers
from hosted_ui.aws import cognito, internal
from hosted_ui.errors import ServerError
from hosted_ui.federation.attributes import identities
from hosted_ui.keyed_lock import KeyedLock
from sandbox.config import settings as sandbox_settings

_first_sign_in = KeyedLock()


@dataclass(frozen=True)
class SignedIn:
    user: live.User
    created: bool
    presignup: dict | None  # the event and the answer, for the flow log
    updated: list[str]


def _run(trigger: str, arn: str, event: dict, on_trigger) -> None:
    """Invoke; report {"trigger", "event", "answer" | "error"} to `on_trigger` either way."""
    trace = {"trigger": trigger, "event": event}
    try:
        trace["answer"] = triggers.invoke(trigger, arn, event)
    except triggers.TriggerFailed as failure:
        trace["error"] = failure.description
        raise
    finally:
        if on_trigger:
            on_trigger(trace)


def _returning(pool_id: str, client_id: str, existing: live.User, attributes: dict, on_trigger) -> SignedIn:
    """PreAuthentication sees the user as stored (a refusal writes nothing), then the mapped attributes
    are written, then PostAuthentication sees the user as it is now (the order inside one federated
    sign-in is not documented; this one refuses before any change). A failing trigger refuses the
    sign-in: PreAuthentication by design; PostAuthentication too, "you fail the call, which then fails
    the authentication" (AWS Mobile blog, "Tracking and remembering devices using Amazon Cognito Your
    User Pools"). A disabled user runs neither: the sign-in is refused anyway (idp_response)."""
    lambdas = live.pool(pool_id).get("LambdaConfig") or {}
    region = sandbox_settings().aws_region
    if existing.enabled and lambdas.get("PreAuthentication"):
        _run("PreAuthentication", lambdas["PreAuthentication"],
             triggers.pre_authentication_event(region, pool_id, client_id, existing), on_trigger)
    user, updated = _update(pool_id, existing, attributes)
    if user.enabled and lambdas.get("PostAuthentication"):
        _run("PostAuthentication", lambdas["PostAuthentication"],
             triggers.post_authentication_event(region, pool_id, client_id, user), on_trigger)
    return SignedIn(user, False, None, updated)


def _update(pool_id: str, user: live.User, attributes: dict) -> tuple[live.User, list[str]]:
    """A returning user: write the mapped attributes that changed (admin_update_user_attributes); the
    user as it is now (the write's answer is empty, and what it changed is known: no second read)."""
    changed = {k: v for k, v in attributes.items() if user.attributes.get(k) != v}
    if not changed:
        return user, []
    cognito().admin_update_user_attributes(UserPoolId=pool_id, Username=user.username,
                                           UserAttributes=[{"Name": k, "Value": v} for k, v in changed.items()])
    live.forget_user(pool_id, user.username)
    return replace(user, attributes={**user.attributes, **changed}), list(changed)


def _create(pool_id: str, username: str, attributes: dict, provider: str, user_id: str) -> live.User | None:
    """The user just created (the internal call answers it as admin_get_user would); None when another
    process made it first (the user exists, which is all we need: the caller reads it)."""
    response = internal(f"{pool_id}/federated-users", {
        "username": username, "attributes": attributes,
        "identities": identities(provider, user_id, int(time.time() * 1000))})
    live.forget_user(pool_id, username)
    if response.status_code == 409:
        return None
    if response.status_code != 201:
        raise ServerError("Exception processing authorization code")
    return live.User.from_json(response.json()["User"])


def sign_in(pool_id: str, client_id: str, provider: str, user_id: str, username: str,
            attributes: dict, on_presignup=None, on_trigger=None) -> SignedIn:
    """One person's first sign-in at a time: two racing ones make one user and one trigger run."""
    with _first_sign_in.hold(f"{pool_id}/{username}"):
        existing = live.user(pool_id, username)
        if existing is not None:
            return _returning(pool_id, client_id, existing, attributes, on_trigger)
        lambdas = live.pool(pool_id).get("LambdaConfig") or {}
        region = sandbox_settings().aws_region
        presignup = None
        if lambdas.get("PreSignUp"):
            event = triggers.presignup_event(region, pool_id, username, client_id, attributes)
            presignup = {"event": event}
            try:
                presignup["answer"] = triggers.invoke("PreSignUp", lambdas["PreSignUp"], event)
            except triggers.TriggerFailed as failure:
                presignup["error"] = failure.description
                if on_presignup:
                    on_presignup(presignup)
                raise
            if on_presignup:
                on_presignup(presignup)
        user = _create(pool_id, username, attributes, provider, user_id) or live.user(pool_id, username)
        if user is None:
            raise ServerError("Exception processing authorization code")
        if lambdas.get("PostConfirmation"):
            triggers.invoke("PostConfirmation", lambdas["PostConfirmation"],
                            triggers.post_confirmation_event(region, pool_id, username, client_id, user.attributes))
        return SignedIn(user, True, presignup, [])
