"""The issuer's OpenID Provider configuration document (OpenID Connect Discovery 1.0 §3)."""

from __future__ import annotations

from sandbox.config import settings


def issuer(pool_id: str) -> str:
    """`<cognito-idp endpoint>/<poolId>`: locally the AWS endpoint's public URL, as real AWS's is
    https://cognito-idp.<region>.amazonaws.com/<poolId>."""
    return f"{settings().aws_public_url}/{pool_id}"


def openid_configuration(pool_id: str, has_domain: bool) -> dict:
    """What this sandbox supports, truthfully. Real Cognito lists its hosted-UI endpoints, which exist
    only once the pool has a domain; so do we."""
    iss = issuer(pool_id)
    document = {
        "issuer": iss,
        "jwks_uri": f"{iss}/.well-known/jwks.json",
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "email", "phone", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "code_challenge_methods_supported": ["S256"],
    }
    if has_domain:
        ui = settings().cognito_hosted_ui_url
        document.update({
            "authorization_endpoint": f"{ui}/oauth2/authorize",
            "token_endpoint": f"{ui}/oauth2/token",
            "userinfo_endpoint": f"{ui}/oauth2/userInfo",
            "end_session_endpoint": f"{ui}/logout",
            "revocation_endpoint": f"{ui}/oauth2/revoke",
        })
    return document
