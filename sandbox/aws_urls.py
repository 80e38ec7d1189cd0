"""AWS's public URLs, one formula each, imported by every party that needs one: Cognito's issuer, the
hosted UI's paths, and a REST API stage's invocation URL. Locally each lives on the sandbox's endpoints;
against real AWS (AWS_ENDPOINT_URL empty) they are AWS's own."""

from __future__ import annotations

from sandbox.config import Settings, settings

# The hosted UI's endpoints on the user pool domain (Cognito's user-pools-app-integration and endpoint
# docs). hosted_ui/urls.py routes these; the issuer's discovery document names them.
HOSTED_UI_PATHS = {
    "authorize": "/oauth2/authorize",
    "token": "/oauth2/token",
    "userinfo": "/oauth2/userInfo",
    "revoke": "/oauth2/revoke",
    "idpresponse": "/oauth2/idpresponse",
    "login": "/login",
    "logout": "/logout",
    "error": "/error",
}


def cognito_issuer_base(s: Settings | None = None) -> str:
    """Where issuers live: https://cognito-idp.<region>.amazonaws.com, or the sandbox's AWS endpoint."""
    s = s or settings()
    return s.aws_public_url if s.local_aws else f"https://cognito-idp.{s.aws_region}.amazonaws.com"


def cognito_issuer(pool_id: str, base: str | None = None) -> str:
    """A user pool's issuer: `<base>/<pool id>` (the `iss` of its tokens, the root of its JWKS)."""
    return f"{base or cognito_issuer_base()}/{pool_id}"


def api_invoke_url(api_id: str, stage: str, s: Settings | None = None) -> str:
    """A REST API stage's invoke URL (API Gateway's, or the sandbox endpoint's user-request path)."""
    s = s or settings()
    if s.local_aws:
        return f"{s.aws_public_url}/restapis/{api_id}/{stage}/_user_request_"
    return f"https://{api_id}.execute-api.{s.aws_region}.amazonaws.com/{stage}"
