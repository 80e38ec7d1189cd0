"""Create a federated user (status EXTERNAL_PROVIDER) in moto's backend: the AWS API cannot."""

from __future__ import annotations

import json
import threading

from moto.cognitoidp.models import CognitoIdpUser, CognitoIdpUserPool

from aws_endpoint.cognito.errors import InvalidParameter, UsernameExists

# One lock for check-and-insert: two racing first sign-ins of one person make one user.
_create_lock = threading.Lock()


def _attributes(raw) -> list[dict[str, str]]:
    if isinstance(raw, dict):
        raw = [{"Name": k, "Value": v} for k, v in raw.items()]
    if not isinstance(raw, list) or not all(
            isinstance(a, dict) and isinstance(a.get("Name"), str) and isinstance(a.get("Value"), str)
            for a in raw):
        raise InvalidParameter("attributes must be an object of strings or a list of {Name, Value}")
    return [{"Name": a["Name"], "Value": a["Value"]} for a in raw if a["Name"] != "sub"]


def create_federated_user(pool: CognitoIdpUserPool, body: dict) -> CognitoIdpUser:
    """Make `body["username"]` with its attributes and `identities` (a JSON array, stored as the
    string attribute Cognito shows); enabled, a fresh UUID `sub`."""
    username = body.get("username")
    if not isinstance(username, str) or not username:
        raise InvalidParameter("username is required")
    attributes = _attributes(body.get("attributes", {}))
    identities = body.get("identities")
    if identities is not None:
        if not isinstance(identities, list):
            raise InvalidParameter("identities must be a JSON array")
        attributes = [a for a in attributes if a["Name"] != "identities"]
        attributes.append({"Name": "identities", "Value": json.dumps(identities, separators=(",", ":"))})
    with _create_lock:
        if pool._get_user(username) is not None:
            raise UsernameExists("User account already exists")
        user = CognitoIdpUser(pool.id, username, None, "EXTERNAL_PROVIDER", attributes)
        pool.users[user.username] = user
    return user


def user_json(user: CognitoIdpUser) -> dict:
    """The user as admin_get_user shows it (dates as epoch seconds, as the AWS JSON protocol sends)."""
    return {
        "Username": user.username,
        "UserStatus": str(getattr(user.status, "value", user.status)),
        "Enabled": user.enabled,
        "UserCreateDate": user.create_date.timestamp(),
        "UserLastModifiedDate": user.last_modified_date.timestamp(),
        "UserAttributes": user.attributes,
    }
