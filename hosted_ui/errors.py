"""The hosted UI's wire errors, one class per error; responses.py turns them into HTTP in one place."""

from __future__ import annotations


class OAuthError(Exception):
    """An RFC 6749 error: a JSON 400 at the token endpoint, an error redirect at the authorize side."""

    error = "invalid_request"
    status = 400

    def __init__(self, description: str = ""):
        super().__init__(description or self.error)
        self.description = description


class InvalidRequest(OAuthError):
    error = "invalid_request"


class InvalidClient(OAuthError):
    error = "invalid_client"


class InvalidGrant(OAuthError):
    error = "invalid_grant"


class UnauthorizedClient(OAuthError):
    error = "unauthorized_client"


class UnsupportedGrantType(OAuthError):
    error = "unsupported_grant_type"


class UnsupportedResponseType(OAuthError):
    error = "unsupported_response_type"


class UnsupportedTokenType(OAuthError):
    error = "unsupported_token_type"


class InvalidScope(OAuthError):
    error = "invalid_scope"


class LoginRequired(OAuthError):
    """OIDC Core §3.1.2.6: prompt=none and no usable session (amplify-js#14897 captures it from Cognito)."""

    error = "login_required"


class RevocationInvalidClient(InvalidClient):
    # Revocation-endpoint docs: "HTTP 401 and error invalid_client ... if the client credentials are invalid".
    status = 401


class ServerError(OAuthError):
    error = "server_error"


class IdpError(OAuthError):
    """An error the IdP sent to /oauth2/idpresponse, passed on as it came (e.g. access_denied)."""

    def __init__(self, error: str, description: str):
        super().__init__(description)
        self.error = error


class AuthorizeRedirect(Exception):
    """Send the browser back to the client's (already validated) redirect URI with the error."""

    def __init__(self, error: OAuthError, redirect_uri: str, state: str | None, fragment: bool = False):
        super().__init__(error.description)
        self.error, self.redirect_uri, self.state = error, redirect_uri, state
        self.fragment = fragment  # the implicit grant's errors go back in the fragment, as its tokens do


class ErrorPage(Exception):
    """Cognito's error page: used when there is no trusted redirect URI (e.g. redirect_mismatch)."""

    def __init__(self, error: str, status: int = 400):
        super().__init__(error)
        self.error, self.status = error, status


class ErrorRedirect(Exception):
    """A redirect to the domain's own /error page with `params` as its query, never to the client's URI.
    Captures: an unregistered redirect_uri gives `/error?error=redirect_mismatch&client_id=<id>`
    (aws/aws-aspnet-cognito-identity-provider#167, aws-samples/iam-identity-center-team#437); an unknown
    client `/error?error=invalid_request&client_id=<id>`; a logout_uri that is not a sign-out URL
    `/error?client_id=<id>&logout_uri=<uri>` (no `error`); each page then answers 400."""

    def __init__(self, **params: str):
        super().__init__(params.get("error") or "error")
        self.params = {k: v for k, v in params.items() if v}


def redirect_mismatch(client_id: str) -> ErrorRedirect:
    return ErrorRedirect(error="redirect_mismatch", client_id=client_id)


def unknown_client(client_id: str) -> ErrorRedirect:
    return ErrorRedirect(error="invalid_request", client_id=client_id)


class BearerError(Exception):
    """An RFC 6750 error at userInfo, carried in WWW-Authenticate. Cognito sends only two fixed
    descriptions (userinfo-endpoint docs, "Sample negative responses"); why this request failed is the
    `reason`, which goes to the sandbox's log, never to the client."""

    status = 400
    error = "invalid_request"
    description = "Bad OAuth2 request at UserInfo Endpoint"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class BadUserInfoRequest(BearerError):
    """400: no usable `Authorization: Bearer <token>` header."""


class InvalidAccessToken(BearerError):
    """401: the token is not a live access token of this pool with `openid`."""

    status = 401
    error = "invalid_token"
    description = "Access token is expired, disabled, or deleted, or the user has globally signed out."


class AccessTokenWithoutOpenid(InvalidAccessToken):
    """401: a live access token without the `openid` scope; Cognito says so (simov/grant#189)."""

    description = "Access token does not contain openid scope"
