"""CORS (Fetch standard) for the Cognito endpoints a browser app calls cross-origin: the issuer's
discovery document and JWKS, and the hosted UI's /oauth2/token, /oauth2/userInfo and /oauth2/revoke.

Real Cognito answers these for any origin (Amplify and oidc-client-ts call them from single-page apps;
amazon-cognito-auth-js#113). The exact header values Cognito sends are unconfirmed: here a wildcard
origin without credentials, which every uncredentialed `fetch` accepts and a credentialed one (cookies)
refuses, the stricter reading. Everything else (the AWS API, the internal calls) keeps refusing
browser origins (aws_endpoint/app.py)."""

from __future__ import annotations

ALLOW_ANY_ORIGIN = {"Access-Control-Allow-Origin": "*"}
PREFLIGHT_MAX_AGE = "3600"


def preflight_headers(methods: str, requested_headers: str | None) -> dict:
    """The answer to an OPTIONS preflight: the methods the endpoint serves and the headers the page asked
    for (Authorization, Content-Type...)."""
    headers = {**ALLOW_ANY_ORIGIN, "Access-Control-Allow-Methods": methods,
               "Access-Control-Max-Age": PREFLIGHT_MAX_AGE}
    if requested_headers:
        headers["Access-Control-Allow-Headers"] = requested_headers
    return headers
