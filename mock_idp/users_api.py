"""A subset of Okta's Users API (/api/v1/users): create (and activate), get, deactivate.

Tests create fresh users at run time for first sign-ins; Okta's user JSON and error bodies."""

from __future__ import annotations

import hmac

from mock_idp.errors import ApiValidationFailed, InvalidApiToken, ResourceNotFound
from mock_idp.models import User, iso, okta_id


def check_api_token(authorization: str | None, cfg) -> None:
    """`Authorization: SSWS <token>`; anything else is Okta's E0000011."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme != "SSWS" or not hmac.compare_digest(token.strip().encode(), cfg.api_token.encode()):
        raise InvalidApiToken()


def user_json(user: User, cfg) -> dict:
    href = f"{cfg.org_url}/api/v1/users/{user.id}"
    return {
        "id": user.id, "status": user.status, "created": iso(user.created),
        "activated": iso(user.created) if user.status != "STAGED" else None,
        "statusChanged": iso(user.status_changed), "lastLogin": iso(user.last_login),
        "lastUpdated": iso(user.status_changed or user.created), "passwordChanged": iso(user.created),
        "type": {"id": "oty1sandbox0default7"},
        "profile": {"firstName": user.given_name, "lastName": user.family_name, "mobilePhone": None,
                    "secondEmail": None, "login": user.login, "email": user.email},
        "credentials": {"password": {}, "provider": {"type": "OKTA", "name": "OKTA"}},
        "_links": {"self": {"href": href},
                   "deactivate": {"href": f"{href}/lifecycle/deactivate", "method": "POST"}},
    }


def _text(value, name: str, problems: list[str]) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.append(f"{name}: The field cannot be left blank")
        return ""
    if not isinstance(value, str):
        problems.append(f"{name}: The field must be a string")
        return ""
    return value.strip()


def create(body: object, activate: bool, provider, now: float) -> User:
    if not isinstance(body, dict) or not isinstance(body.get("profile"), dict):
        raise ApiValidationFailed("Api validation failed: profile", ["profile: The field cannot be left blank"])
    profile, problems = body["profile"], []
    login = _text(profile.get("login"), "login", problems)
    email = _text(profile.get("email"), "email", problems)
    first = _text(profile.get("firstName"), "firstName", problems)
    last = _text(profile.get("lastName"), "lastName", problems)
    if email and "@" not in email:
        problems.append("email: Does not match required pattern")
    if login and "@" not in login:
        problems.append("login: Username must be in the form of an email address")
    credentials = body.get("credentials") or {}
    password = ((credentials.get("password") or {}).get("value") if isinstance(credentials, dict)
                and isinstance(credentials.get("password"), dict) else None)
    if password is not None and not isinstance(password, str):
        problems.append("password: The field must be a string")
    if problems:
        raise ApiValidationFailed(f"Api validation failed: {problems[0].split(':')[0]}", problems)
    # Okta: activated with a password → ACTIVE; activated without one → PROVISIONED (waits for the
    # activation email); not activated → STAGED. Only ACTIVE users can sign in.
    status = ("ACTIVE" if password else "PROVISIONED") if activate else "STAGED"
    user = User(okta_id("00u"), login, password or "", first, last, email, ("Everyone",), status, now, now)
    if provider.state.directory.create(user) is None:
        raise ApiValidationFailed("Api validation failed: login",
                                  ["login: An object with this field already exists in the current organization"])
    return user


def get(id_or_login: str, provider) -> User:
    user = provider.state.directory.user(id_or_login)
    if user is None:
        raise ResourceNotFound(f"Not found: Resource not found: {id_or_login} (User)")
    return user


def deactivate(user_id: str, provider, now: float) -> User:
    user = get(user_id, provider)
    if user.status == "DEPROVISIONED":
        return user
    updated = provider.state.directory.update(user.id, status="DEPROVISIONED", status_changed=now)
    # Deactivation ends the user's sessions and refresh tokens (they fail the can_sign_in check from now on).
    return updated
