"""Tokens as Cognito mints them (facts.md), signed with the pool's keys through the AWS endpoint."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from hosted_ui import token_overrides
from hosted_ui.errors import InvalidGrant, ServerError
from hosted_ui.live import User, validity_seconds
from sandbox.aws_urls import cognito_issuer


def issuer(ctx, pool_id: str) -> str:
    return cognito_issuer(pool_id, ctx.settings.aws_public_url)


def sign(ctx, pool_id: str, token_use: str, claims: dict) -> str:
    response = ctx.aws.internal(f"{pool_id}/sign", {"token_use": token_use, "claims": claims})
    if response.status_code != 200:
        raise ServerError("Internal server error")
    return response.json()["token"]


@dataclass(frozen=True)
class Authentication:
    """One sign-in: what every token minted from it (and its refreshes) shares. (The browser's session
    with the hosted UI is the cookie in session.py.)"""
    pool_id: str
    client: dict
    username: str
    scopes: tuple[str, ...]
    auth_time: int
    origin_jti: str
    event_id: str


def new_authentication(pool_id: str, client: dict, username: str, scopes, auth_time: int) -> Authentication:
    return Authentication(pool_id, client, username, tuple(scopes), auth_time, str(uuid.uuid4()), str(uuid.uuid4()))


def _access_claims(ctx, auth: Authentication, user: User, groups: list[str], now: int, lifetime: int) -> dict:
    return {"sub": user.sub, **({"cognito:groups": groups} if groups else {}),
            "iss": issuer(ctx, auth.pool_id), "version": 2, "client_id": auth.client["ClientId"],
            "origin_jti": auth.origin_jti, "event_id": auth.event_id, "token_use": "access",
            "scope": " ".join(auth.scopes), "auth_time": auth.auth_time, "exp": now + lifetime,
            "iat": now, "jti": str(uuid.uuid4()), "username": user.username}


# The attributes an OIDC scope releases (userinfo-endpoint docs: `openid email` gives email and
# email_verified, `openid phone` phone_number and phone_number_verified).
SCOPE_ATTRIBUTES = {"email": frozenset({"email", "email_verified"}),
                    "phone": frozenset({"phone_number", "phone_number_verified"})}


def readable(client: dict, user_attributes) -> set[str]:
    """What the app client may read: its ReadAttributes, or every attribute when it sets none."""
    listed = client.get("ReadAttributes")
    return set(user_attributes if listed is None else listed) | {"sub"}


def check_readable(client: dict, scopes) -> None:
    """The token endpoint's invalid_grant: "App client doesn't have read access to all attributes in the
    requested scope. For example, your app requests the email scope and your app client can read the email
    attribute, but not email_verified" (token-endpoint docs)."""
    listed = client.get("ReadAttributes")
    if listed is None:
        return
    for scope in set(scopes) & set(SCOPE_ATTRIBUTES):
        if not SCOPE_ATTRIBUTES[scope] <= set(listed):
            raise InvalidGrant(f"The client cannot read every attribute of the {scope} scope")


def _attribute_claims(user: User, client: dict) -> dict:
    """The user's attributes the client may read (ReadAttributes), as ID-token claims."""
    claims, allowed = {}, readable(client, user.attributes)
    for name, value in user.attributes.items():
        if name == "sub" or name not in allowed:
            continue
        if name == "identities":
            claims[name] = json.loads(value)  # an array in the ID token, a string in the user's attributes
        elif name.endswith("_verified"):
            claims[name] = value == "true"
        else:
            claims[name] = value  # custom:* stay strings
    return claims


def _id_claims(ctx, auth: Authentication, user: User, groups: list[str], now: int, nonce: str | None) -> dict:
    """The ID token's claims but `at_hash`, which the signer puts first (it hashes the access token)."""
    lifetime = validity_seconds(auth.client, "IdToken")
    return {"sub": user.sub, **({"cognito:groups": groups} if groups else {}),
            **_attribute_claims(user, auth.client), "iss": issuer(ctx, auth.pool_id), "cognito:username": user.username,
            **({"nonce": nonce} if nonce else {}), "origin_jti": auth.origin_jti,
            "aud": auth.client["ClientId"], "event_id": auth.event_id, "token_use": "id",
            "auth_time": auth.auth_time, "exp": now + lifetime, "iat": now, "jti": str(uuid.uuid4())}


def user_tokens(ctx, auth: Authentication, user: User, now: int, nonce: str | None, overrides=None) -> dict:
    """access + (with openid) id token, and expires_in: the answer of both user grants, with
    PreTokenGeneration's answer (`overrides`) applied. Both tokens are signed in one call to the AWS
    endpoint."""
    groups = ctx.live.groups(auth.pool_id, user.username)
    lifetime = validity_seconds(auth.client, "AccessToken")
    with_id = "openid" in auth.scopes
    response = ctx.aws.internal(f"{auth.pool_id}/sign-tokens", {
        "access": token_overrides.access_claims(_access_claims(ctx, auth, user, groups, now, lifetime), overrides),
        **({"id": token_overrides.id_claims(_id_claims(ctx, auth, user, groups, now, nonce), overrides)}
           if with_id else {})})
    if response.status_code != 200:
        raise ServerError("Internal server error")
    signed = response.json()["tokens"]
    body = {"access_token": signed["access"], "expires_in": lifetime, "token_type": "Bearer"}
    return {"id_token": signed["id"], **body} if with_id else body


def machine_token(ctx, pool_id: str, client: dict, scopes: list[str], now: int) -> dict:
    """client_credentials: an access token whose subject is the client."""
    lifetime = validity_seconds(client, "AccessToken")
    claims = {"sub": client["ClientId"], "token_use": "access", "scope": " ".join(scopes), "auth_time": now,
              "iss": issuer(ctx, pool_id), "exp": now + lifetime, "iat": now, "version": 2,
              "jti": str(uuid.uuid4()), "client_id": client["ClientId"]}
    return {"access_token": sign(ctx, pool_id, "access", claims), "expires_in": lifetime, "token_type": "Bearer"}
