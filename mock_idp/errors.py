"""One exception class per wire error. `responses.error_response` turns them into HTTP, in one place.

OAuth errors (RFC 6749 §4.1.2.1, §5.2) carry Okta's descriptions. Where they surface depends on where
they are raised: before the redirect URI is trusted they are an error page, after it an error redirect
(`AuthorizeRedirect`), at the back channel a JSON body, at userinfo a `WWW-Authenticate` header.
"""

from __future__ import annotations


class OAuthError(Exception):
    error = "invalid_request"
    status = 400

    def __init__(self, description: str):
        super().__init__(description)
        self.description = description


class InvalidRequest(OAuthError):
    error = "invalid_request"


class InvalidClient(OAuthError):
    # RFC 6749 §5.2: 401 with WWW-Authenticate when the client authenticated (or should have).
    error = "invalid_client"
    status = 401


class InvalidGrant(OAuthError):
    error = "invalid_grant"


class InvalidScope(OAuthError):
    error = "invalid_scope"


class UnauthorizedClient(OAuthError):
    error = "unauthorized_client"


class UnsupportedGrantType(OAuthError):
    error = "unsupported_grant_type"


class UnsupportedResponseType(OAuthError):
    error = "unsupported_response_type"


class UnsupportedResponseMode(OAuthError):
    # Okta's error code for an invalid or unsupported response_mode (okta/okta-developer-docs#3122).
    error = "unsupported_response_mode"


class AccessDenied(OAuthError):
    error = "access_denied"
    status = 403


class LoginRequired(OAuthError):
    error = "login_required"


class ServerError(OAuthError):
    error = "server_error"
    status = 500


class AuthorizeRedirect(Exception):
    """An authorize error sent back to the (already verified) redirect URI with `state`."""

    def __init__(self, cause: OAuthError, redirect_uri: str, state: str | None, response_mode: str = "query"):
        super().__init__(cause.description)
        self.cause, self.redirect_uri, self.state = cause, redirect_uri, state
        self.response_mode = response_mode  # errors go back the way the client asked for the response


class ErrorPage(Exception):
    """An error shown to the user (never redirected): unknown client, unregistered redirect URI; 403 for a
    sign-in form posted from another site or another browser."""

    def __init__(self, cause: OAuthError, status: int = 400):
        super().__init__(cause.description)
        self.cause, self.status = cause, status


class BearerError(Exception):
    """A protected-resource error (RFC 6750 §3): carried in WWW-Authenticate, empty body."""

    status = 401

    def __init__(self, error: str, description: str, status: int = 401):
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


class ApiError(Exception):
    """An Okta management API error: `{"errorCode": "E00000xx", "errorSummary": …}`."""

    code = "E0000001"
    status = 400

    def __init__(self, summary: str, causes: list[str] = ()):
        super().__init__(summary)
        self.summary, self.causes = summary, list(causes)


class InvalidApiToken(ApiError):
    code, status = "E0000011", 401

    def __init__(self):
        super().__init__("Invalid token provided")


class ApiValidationFailed(ApiError):
    code, status = "E0000001", 400


class MalformedBody(ApiError):
    code, status = "E0000003", 400

    def __init__(self):
        super().__init__("The request body was not well-formed.")


class ResourceNotFound(ApiError):
    code, status = "E0000007", 404


class ApiMethodNotAllowed(ApiError):
    code, status = "E0000022", 405

    def __init__(self):
        super().__init__("The endpoint does not support the provided HTTP method")
