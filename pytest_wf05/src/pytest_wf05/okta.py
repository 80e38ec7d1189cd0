"""Okta users for a test, created through the (mock) Okta's Users API, as you would against a real org."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import requests

PASSWORD = "Passw0rd!"


@dataclass(frozen=True)
class OktaUser:
    id: str
    login: str
    password: str
    first_name: str
    last_name: str


def create_user(org_url: str, api_token: str, login: str | None = None, password: str = PASSWORD,
                first_name: str = "Test", last_name: str = "User", activate: bool = True) -> OktaUser:
    """POST /api/v1/users?activate=true with an SSWS token (Okta Users API: "Create a user with password")."""
    login = login or f"{first_name.lower()}-{secrets.token_hex(6)}@example.com"
    body = {"profile": {"firstName": first_name, "lastName": last_name, "email": login, "login": login},
            "credentials": {"password": {"value": password}}}
    response = requests.post(f"{org_url}/api/v1/users", params={"activate": str(activate).lower()}, json=body,
                             headers={"Authorization": f"SSWS {api_token}", "Accept": "application/json"}, timeout=15)
    if response.status_code != 200:
        raise AssertionError(f"Okta refused the user {login}: {response.status_code} {response.text}")
    return OktaUser(response.json()["id"], login, password, first_name, last_name)


def deactivate_user(org_url: str, api_token: str, user: OktaUser) -> None:
    requests.post(f"{org_url}/api/v1/users/{user.id}/lifecycle/deactivate",
                  headers={"Authorization": f"SSWS {api_token}", "Accept": "application/json"}, timeout=15)
