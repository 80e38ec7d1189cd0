"""The issuer's OpenID Provider configuration document (OpenID Connect Discovery 1.0 §3)."""

from __future__ import annotations

from sandbox.aws_urls import HOSTED_UI_PATHS, cognito_issuer
from sandbox.config import settings


def issuer(pool_id: str) -> str:
    """`<cognito-idp endpoint>/<poolId>`: locally the AWS endpoint's public URL, as real AWS's is
    https://cognito-idp.<region>.amazonaws.com/<poolId>."""
    return cognito_issuer(pool_id)


def openid_configuration(pool_id: str, has_domain: bool) -> dict:
    """Real Cognito's keys and values, and no other key (captures: openiddict/openiddict-core#1586 (2022),
    localstack/localstack#12914 (2025, with end_session_endpoint and revocation_endpoint)). Cognito
    publishes no `grant_types_supported` or `code_challenge_methods_supported` (PKCE S256 works all the
    same); `response_types_supported` is code and token (the implicit grant). The hosted-UI endpoints
    exist only once the pool has a domain; before that Cognito names them on the issuer's own host, where
    nothing answers (the 2022 capture, of a pool found online: `<issuer>/authorize`, `<issuer>/token`,
    then `userin…` where the capture is cut: `<issuer>/userInfo` is inferred), and no logout or
    revocation endpoint."""
    iss = issuer(pool_id)
    document = {
        "id_token_signing_alg_values_supported": ["RS256"],
        "issuer": iss,
        "jwks_uri": f"{iss}/.well-known/jwks.json",
        "response_types_supported": ["code", "token"],
        "scopes_supported": ["openid", "email", "phone", "profile"],
        "subject_types_supported": ["public"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
    }
    if has_domain:
        ui = settings().cognito_hosted_ui_url
        paths = HOSTED_UI_PATHS
        document.update({
            "authorization_endpoint": ui + paths["authorize"],
            "end_session_endpoint": ui + paths["logout"],
            "revocation_endpoint": ui + paths["revoke"],
            "token_endpoint": ui + paths["token"],
            "userinfo_endpoint": ui + paths["userinfo"],
        })
    else:
        document.update({"authorization_endpoint": f"{iss}/authorize", "token_endpoint": f"{iss}/token",
                         "userinfo_endpoint": f"{iss}/userInfo"})
    return dict(sorted(document.items()))  # Cognito sends its keys in alphabetical order
