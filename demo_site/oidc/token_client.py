"""Calls to Cognito's /oauth2/token on the back channel: the client secret in a Basic header
(client_secret_basic, RFC 6749 §2.3.1), the flow id in X-Sandbox-Flow. Errors as one type."""

from __future__ import annotations

from urllib.parse import urlencode

import requests

from demo_site import backchannel
from sandbox import flowlog
from sandbox.kept_http import basic_auth


class TokenEndpointError(Exception):
    """Cognito's token endpoint refused, or could not be reached; `error` is the OAuth error code."""

    def __init__(self, error: str, description: str = "", status: int = 0):
        super().__init__(f"{error}: {description}" if description else error)
        self.error, self.description, self.status = error, description, status


def request_tokens(url: str, client_id: str, client_secret: str, form: dict, *, flow: str | None,
                   timeout: float) -> dict:
    """POST `form` to the token endpoint; return the JSON answer or raise TokenEndpointError."""
    # What requests sent for data=form, auth=HTTPBasicAuth(...): the form urlencoded, its Content-Type.
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Authorization": basic_auth(client_id, client_secret)}
    if flow:
        headers[flowlog.HEADER] = flow
    try:
        response = backchannel.call("POST", url, headers=headers, body=urlencode(form).encode(), timeout=timeout)
    except requests.RequestException as exc:
        raise TokenEndpointError("unreachable", f"could not reach {url}: {exc.__class__.__name__}") from None
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code != 200 or not isinstance(body, dict):
        # RFC 6749 §5.2: {"error", "error_description"}; Cognito answers 400 (invalid_grant, …).
        body = body if isinstance(body, dict) else {}
        raise TokenEndpointError(str(body.get("error", "invalid_response")),
                                 str(body.get("error_description", f"HTTP {response.status_code}")),
                                 response.status_code)
    return body


def refresh(url: str, client_id: str, client_secret: str, refresh_token: str, *, flow: str | None,
            timeout: float) -> dict:
    """The refresh_token grant: new ID and access tokens (Cognito keeps the refresh token)."""
    return request_tokens(url, client_id, client_secret,
                          {"grant_type": "refresh_token", "client_id": client_id, "refresh_token": refresh_token},
                          flow=flow, timeout=timeout)
