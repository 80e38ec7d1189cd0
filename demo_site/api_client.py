"""Call the profile API (seed step h) with the access token, and say in words why a call was refused (k).

API Gateway's Cognito authorizer takes the raw token from the Authorization header (the method's
identitySource), answers 401 {"message":"Unauthorized"} for a missing, invalid or under-scoped token and
401 {"message":"The incoming token has expired"} for an expired one; 403 {"message":"Missing
Authentication Token"} for an unknown route or stage (API Gateway developer guide, "Integrate a REST API
with an Amazon Cognito user pool" and "Gateway responses").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import jwt
import requests

from demo_site import backchannel
from sandbox import flowlog

EXPIRED = "The incoming token has expired"


@dataclass
class ApiAnswer:
    url: str
    status: int  # 0: not reached
    body: object = None
    headers: dict = field(default_factory=dict)
    error: str = ""  # why it was not reached

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def message(self) -> str:
        return str(self.body.get("message", "")) if isinstance(self.body, dict) else ""

    @property
    def expired(self) -> bool:
        return self.status == 401 and self.message == EXPIRED


def call(url: str, access_token: str, *, flow: str | None, timeout: float) -> ApiAnswer:
    headers = {"Authorization": access_token}
    if flow:
        headers[flowlog.HEADER] = flow
    try:
        response = backchannel.call("GET", url, headers=headers, timeout=timeout)
    except requests.RequestException as exc:
        return ApiAnswer(url, 0, error=f"could not reach {url}: {exc.__class__.__name__}")
    try:
        body = response.json()
    except ValueError:
        body = response.text[:2000]
    return ApiAnswer(url, response.status_code, body, dict(response.headers))


def token_scopes(access_token: str | None) -> list[str]:
    """The scopes an access token holds (read for the explanation only; API Gateway verifies it)."""
    try:
        return str(jwt.decode(access_token or "", options={"verify_signature": False}).get("scope", "")).split()
    except jwt.InvalidTokenError:
        return []


def why_refused(answer: ApiAnswer, access_token: str | None, refresh_error: str = "") -> str:
    """A sentence a newcomer can act on."""
    if answer.status == 0:
        return f"The API could not be reached: {answer.error}."
    if answer.expired:
        tail = f" and could not be refreshed ({refresh_error})" if refresh_error else ""
        return f"The access token has expired{tail}: sign in again."
    if answer.status == 401:
        scopes = " ".join(token_scopes(access_token)) or "none"
        return ("API Gateway's Cognito authorizer refused the access token (401 Unauthorized): the token is "
                "invalid, or it holds none of the scopes this route requires. "
                f"Your access token's scopes: {scopes}.")
    if answer.status == 403 and answer.message == "Missing Authentication Token":
        return "API Gateway has no such route or stage (403 Missing Authentication Token): check API_URL."
    if answer.status == 403:
        return f"API Gateway refused the call (403): {answer.message or answer.body}."
    return f"The API failed ({answer.status}): {answer.message or answer.body}."
