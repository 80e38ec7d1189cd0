"""Tokens as Cognito mints them (facts.md), signed with the pool's keys through the AWS endpoint."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from dataclasses import dataclass

from hosted_ui import live
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


def at_hash(access_token: str) -> str:
    """OIDC Core §3.1.3.6: left half of SHA-256 of the access token, base64url."""
    digest = hashlib.sha256(access_token.encode()).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


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


def access_token(session: Session, user: live.User, groups: list[str], now: int) -> tuple[str, int]:
    lifetime = live.validity_seconds(session.client, "AccessToken")
    claims = {"sub": user.sub, **({"cognito:groups": groups} if groups else {}),
              "iss": issuer(session.pool_id), "version": 2, "client_id": session.client["ClientId"],
              "origin_jti": session.origin_jti, "event_id": session.event_id, "token_use": "access",
              "scope": " ".join(session.scopes), "auth_time": session.auth_time, "exp": now + lifetime,
              "iat": now, "jti": str(uuid.uuid4()), "username": user.username}
    return sign(session.pool_id, "access", claims), lifetime


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


def id_token(session: Session, user: live.User, groups: list[str], now: int, nonce: str | None,
             access: str) -> str:
    lifetime = live.validity_seconds(session.client, "IdToken")
    claims = {"at_hash": at_hash(access), "sub": user.sub, **({"cognito:groups": groups} if groups else {}),
              **_attribute_claims(user), "iss": issuer(session.pool_id), "cognito:username": user.username,
              **({"nonce": nonce} if nonce else {}), "origin_jti": session.origin_jti,
              "aud": session.client["ClientId"], "event_id": session.event_id, "token_use": "id",
              "auth_time": session.auth_time, "exp": now + lifetime, "iat": now, "jti": str(uuid.uuid4())}
    return sign(session.pool_id, "id", claims)


def user_tokens(session: Session, user: live.User, now: int, nonce: str | None) -> dict:
    """access + (with openid) id token, and expires_in: the answer of both user grants."""
    groups = live.groups(session.pool_id, user.username)
    access, lifetime = access_token(session, user, groups, now)
    body = {"access_token": access, "expires_in": lifetime, "token_type": "Bearer"}
    if "openid" in session.scopes:
        body = {"id_token": id_token(session, user, groups, now, nonce, access), **body}
    return body


def machine_token(pool_id: str, client: dict, scopes: list[str], now: int) -> dict:
    """client_credentials: an access token whose subject is the client."""
    lifetime = live.validity_seconds(client, "AccessToken")
    claims = {"sub": client["ClientId"], "token_use": "access", "scope": " ".join(scopes), "auth_time": now,
              "iss": issuer(pool_id), "exp": now + lifetime, "iat": now, "version": 2, "jti": str(uuid.uuid4()),
              "client_id": client["ClientId"]}
    return {"access_token": sign(pool_id, "access", claims), "expires_in": lifetime, "token_type": "Bearer"}
