"""Tokens as Cognito mints them (facts.md), signed with the pool's keys through the AWS endpoint."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from hosted_ui import live, token_overrides
from hosted_ui.aws import internal
from hosted_ui.errors import ServerError
from hosted_ui.settings import settings


def issuer(pool_id: str) -> str:
    return f"{settings().aws_public_url}/{pool_id}"


def sign(pool_id: str, token_use: str, claims: dict) -> str:
    response = internal(f"{pool_id}/sign", {"token_use": token_use, "claims": claims})
    if response.status_code != 200:
        raise ServerError("Internal server error")
    return response.json()["token"]


@dataclass(frozen=True)
class Session:
    """One authentication: what every token minted from it (and its refreshes) shares."""
    pool_id: str
    client: dict
    username: str
    scopes: tuple[str, ...]
    auth_time: int
    origin_jti: str
    event_id: str


def new_session(pool_id: str, client: dict, username: str, scopes, auth_time: int) -> Session:
    return Session(pool_id, client, username, tuple(scopes), auth_time, str(uuid.uuid4()), str(uuid.uuid4()))


def _access_claims(session: Session, user: live.User, groups: list[str], now: int, lifetime: int) -> dict:
    return {"sub": user.sub, **({"cognito:groups": groups} if groups else {}),
            "iss": issuer(session.pool_id), "version": 2, "client_id": session.client["ClientId"],
            "origin_jti": session.origin_jti, "event_id": session.event_id, "token_use": "access",
            "scope": " ".join(session.scopes), "auth_time": session.auth_time, "exp": now + lifetime,
            "iat": now, "jti": str(uuid.uuid4()), "username": user.username}


def _attribute_claims(user: live.User) -> dict:
    claims = {}
    for name, value in user.attributes.items():
        if name == "sub":
            continue
        if name == "identities":
            claims[name] = json.loads(value)  # an array in the ID token, a string in the user's attributes
        elif name.endswith("_verified"):
            claims[name] = value == "true"
        else:
            claims[name] = value  # custom:* stay strings
    return claims


def _id_claims(session: Session, user: live.User, groups: list[str], now: int, nonce: str | None) -> dict:
    """The ID token's claims but `at_hash`, which the signer puts first (it hashes the access token)."""
    lifetime = live.validity_seconds(session.client, "IdToken")
    return {"sub": user.sub, **({"cognito:groups": groups} if groups else {}),
            **_attribute_claims(user), "iss": issuer(session.pool_id), "cognito:username": user.username,
            **({"nonce": nonce} if nonce else {}), "origin_jti": session.origin_jti,
            "aud": session.client["ClientId"], "event_id": session.event_id, "token_use": "id",
            "auth_time": session.auth_time, "exp": now + lifetime, "iat": now, "jti": str(uuid.uuid4())}


def user_tokens(session: Session, user: live.User, now: int, nonce: str | None, overrides=None) -> dict:
    """access + (with openid) id token, and expires_in: the answer of both user grants, with
    PreTokenGeneration's answer (`overrides`) applied. Both tokens are signed in one call to the AWS
    endpoint."""
    groups = live.groups(session.pool_id, user.username)
    lifetime = live.validity_seconds(session.client, "AccessToken")
    with_id = "openid" in session.scopes
    response = internal(f"{session.pool_id}/sign-tokens", {
        "access": token_overrides.access_claims(_access_claims(session, user, groups, now, lifetime), overrides),
        **({"id": token_overrides.id_claims(_id_claims(session, user, groups, now, nonce), overrides)}
           if with_id else {})})
    if response.status_code != 200:
        raise ServerError("Internal server error")
    signed = response.json()["tokens"]
    body = {"access_token": signed["access"], "expires_in": lifetime, "token_type": "Bearer"}
    return {"id_token": signed["id"], **body} if with_id else body


def machine_token(pool_id: str, client: dict, scopes: list[str], now: int) -> dict:
    """client_credentials: an access token whose subject is the client."""
    lifetime = live.validity_seconds(client, "AccessToken")
    claims = {"sub": client["ClientId"], "token_use": "access", "scope": " ".join(scopes), "auth_time": now,
              "iss": issuer(pool_id), "exp": now + lifetime, "iat": now, "version": 2, "jti": str(uuid.uuid4()),
              "client_id": client["ClientId"]}
    return {"access_token": sign(pool_id, "access", claims), "expires_in": lifetime, "token_type": "Bearer"}
