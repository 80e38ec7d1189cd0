"""Fresh Okta users through Okta's Users API (the mock Okta's, or a real org's), so no two runs share one."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

import requests

from sandbox.config import settings

PASSWORD = "Passw0rd!"
API_TOKEN = "sandbox-okta-api-token"  # the mock Okta's published demo token (OKTA_API_TOKEN)


def admin_headers(token: str = API_TOKEN) -> dict:
    return {"Authorization": f"SSWS {token}", "Accept": "application/json"}


@dataclass
class OktaUser:
    id: str
    email: str
    first: str
    last: str
    raw: dict = field(default_factory=dict, repr=False)  # the Users API's answer

    @property
    def login(self) -> str:
        return self.email

    @property
    def username(self) -> str:
        """Its Cognito user name behind the seed's IdP, Okta."""
        return self.username_at("Okta")

    def username_at(self, provider: str) -> str:
        """Its Cognito user name behind IdP `provider`: the sandbox pool is not case sensitive, so the
        whole name is lower case (amplify-js#13844; hosted_ui/federation/attributes.py)."""
        return f"{provider}_{self.id}".lower()


def create_okta_user(first: str = "Test", last: str = "User", login: str | None = None,
                     password: str | None = PASSWORD, activate: bool = True, org_url: str | None = None) -> OktaUser:
    """Create (and by default activate) a user with a fresh login; `org_url` defaults to the sandbox's Okta."""
    login = login or f"{first.lower()}.{secrets.token_hex(5)}@example.com"
    body: dict = {"profile": {"firstName": first, "lastName": last, "email": login, "login": login}}
    if password is not None:
        body["credentials"] = {"password": {"value": password}}
    response = requests.post(f"{org_url or settings().okta_public_url}/api/v1/users",
                             params={"activate": str(activate).lower()}, json=body, headers=admin_headers(),
                             timeout=10)
    response.raise_for_status()
    found = response.json()
    return OktaUser(found["id"], login, first, last, found)
