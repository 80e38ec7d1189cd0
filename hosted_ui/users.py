"""Seed steps e, l, m: find the federated user, or create it after the PreSignUp trigger allows it; a
returning user passes PreAuthentication and PostAuthentication (triggers.py has which fire when)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from hosted_ui import triggers
from hosted_ui.errors import InvalidRequest, ServerError
from hosted_ui.federation.attributes import identities, new_user_attributes
from hosted_ui.live import User


@dataclass(frozen=True)
class SignedIn:
    user: User
    created: bool
    updated: list[str]


def check_mapping(pool: dict, client: dict | None, attributes: dict, creating: bool) -> None:
    """The attribute-mapping doc's rules, "Things to know about mappings": "A mapping must be present for
    each user pool attribute that's required"; "Amazon Cognito must be able to update your mapped user pool
    attributes ... If Amazon Cognito can't update the attribute, it reports an error": mapped attributes
    must be mutable and, where the client lists WriteAttributes, writable by it. Cognito's texts, from
    captured callbacks: `attributes required: [email]`, and `Invalid user attributes: email: Attribute
    cannot be updated.` (aws-amplify/aws-sdk-ios#2296). A required attribute is checked before PreSignUp
    (no trigger runs: amazon-cognito-auth-js#222); an immutable one fails the sign-ins that update it,
    not the first ("Federated login works once, then fails", aws-samples/aws-amplify-oidc-federation#2)."""
    schema = {a.get("Name"): a for a in pool.get("SchemaAttributes") or []}
    missing = [name for name, a in schema.items() if a.get("Required") and not attributes.get(name)]
    if missing:
        raise InvalidRequest(f"attributes required: [{', '.join(missing)}]")
    writable = (client or {}).get("WriteAttributes")
    for name in attributes:
        immutable = not creating and schema.get(name, {}).get("Mutable", True) is False
        if immutable or (writable is not None and name not in writable):
            raise InvalidRequest(f"Invalid user attributes: {name}: Attribute cannot be updated.")


def _returning(ctx, pool_id: str, client_id: str, existing: User, attributes: dict, flow: str) -> SignedIn:
    """PreAuthentication sees the user as stored (a refusal writes nothing), then the mapped attributes
    are written, then PostAuthentication sees the user as it is now (the order inside one federated
    sign-in is not documented; this one refuses before any change). A failing trigger refuses the
    sign-in: PreAuthentication by design; PostAuthentication too, "you fail the call, which then fails
    the authentication" (AWS Mobile blog, "Tracking and remembering devices using Amazon Cognito Your
    User Pools"). A disabled user runs neither: the sign-in is refused anyway (idp_response)."""
    pool, region = ctx.live.pool(pool_id), ctx.settings.aws_region
    check_mapping(pool, ctx.live.app_client(pool_id, client_id), attributes, creating=False)
    if existing.enabled:
        ctx.triggers.run("PreAuthentication", pool, lambda: triggers.pre_authentication_event(
            region, pool_id, client_id, existing), flow)
    user, updated = _update(ctx, pool_id, existing, attributes)
    if user.enabled and ctx.triggers.run("PostAuthentication", pool, lambda: triggers.post_authentication_event(
            region, pool_id, client_id, user), flow) is not None:
        ctx.live.forget_user(pool_id, user.username)  # the function may have changed the user
    return SignedIn(user, False, updated)


def _update(ctx, pool_id: str, user: User, attributes: dict) -> tuple[User, list[str]]:
    """A returning user: write every mapped attribute ("Amazon Cognito updates each mapped attribute, even
    if its current value already matches the latest information", attribute-mapping doc); the user as it
    is now (the write's answer is empty, and what it changed is known: no second read, here or at the
    token endpoint, live.wrote_user)."""
    changed = {k: v for k, v in attributes.items() if user.attributes.get(k) != v}
    if not attributes:
        return user, []
    ctx.aws.cognito().admin_update_user_attributes(
        UserPoolId=pool_id, Username=user.username, UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()])
    now = replace(user, attributes={**user.attributes, **changed})
    ctx.live.wrote_user(pool_id, now)
    return now, list(changed)


def _create(ctx, pool_id: str, username: str, attributes: dict, provider: str, user_id: str) -> User | None:
    """The user just created (the internal call answers it as admin_get_user would); None when another
    process made it first (the user exists, which is all we need: the caller reads it)."""
    response = ctx.aws.internal(f"{pool_id}/federated-users", {
        "username": username, "attributes": new_user_attributes(attributes),
        "identities": identities(provider, user_id, int(ctx.clock() * 1000))})
    if response.status_code == 409:
        ctx.live.forget_user(pool_id, username)
        return None
    if response.status_code != 201:
        ctx.live.forget_user(pool_id, username)
        raise ServerError("Exception processing authorization code")
    user = User.from_json(response.json()["User"])
    ctx.live.wrote_user(pool_id, user)
    return user


def sign_in(ctx, pool_id: str, client_id: str, provider: str, user_id: str, username: str, attributes: dict,
            flow: str) -> SignedIn:
    """One person's first sign-in at a time: two racing ones make one user and one trigger run."""
    with ctx.first_sign_in.hold(f"{pool_id}/{username}"):
        existing = ctx.live.user(pool_id, username)
        if existing is not None:
            return _returning(ctx, pool_id, client_id, existing, attributes, flow)
        pool, region = ctx.live.pool(pool_id), ctx.settings.aws_region
        check_mapping(pool, ctx.live.app_client(pool_id, client_id), attributes, creating=True)
        ctx.triggers.run("PreSignUp", pool, lambda: triggers.presignup_event(
            region, pool_id, username, client_id, attributes), flow, read=triggers.valid_presignup_output)
        user = _create(ctx, pool_id, username, attributes, provider, user_id) or ctx.live.user(pool_id, username)
        if user is None:
            raise ServerError("Exception processing authorization code")
        if ctx.triggers.run("PostConfirmation", pool, lambda: triggers.post_confirmation_event(
                region, pool_id, username, client_id, user.attributes), flow) is not None:
            ctx.live.forget_user(pool_id, username)  # the function may have changed the user
        return SignedIn(user, True, [])
