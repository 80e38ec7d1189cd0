"""The discovery documents (OIDC Discovery 1.0 §3, RFC 8414): every endpoint, every supported value."""

from __future__ import annotations

from mock_idp.authorize.check_response_type import SUPPORTED_RESPONSE_MODES, SUPPORTED_RESPONSE_TYPES
from mock_idp.authorize.check_scope import SUPPORTED_SCOPES
from mock_idp.grants import HANDLERS
from mock_idp.settings import Settings

AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]


def metadata(cfg: Settings, oidc: bool) -> dict:
    issuer = cfg.issuer
    doc = {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/v1/authorize",
        "token_endpoint": f"{issuer}/v1/token",
        "userinfo_endpoint": f"{issuer}/v1/userinfo",
        "jwks_uri": f"{issuer}/v1/keys",
        "response_types_supported": list(SUPPORTED_RESPONSE_TYPES),
        "response_modes_supported": list(SUPPORTED_RESPONSE_MODES),
        "grant_types_supported": list(HANDLERS),
        "subject_types_supported": ["public"],
        "scopes_supported": list(SUPPORTED_SCOPES),
        "token_endpoint_auth_methods_supported": AUTH_METHODS,
        "claims_supported": ["iss", "ver", "sub", "aud", "iat", "exp", "jti", "auth_time", "amr", "idp", "nonce",
                             "name", "given_name", "family_name", "preferred_username", "locale", "zoneinfo",
                             "updated_at", "email", "email_verified", "at_hash"],
        "code_challenge_methods_supported": ["S256"],
        "introspection_endpoint": f"{issuer}/v1/introspect",
        "introspection_endpoint_auth_methods_supported": AUTH_METHODS,
        "revocation_endpoint": f"{issuer}/v1/revoke",
        "revocation_endpoint_auth_methods_supported": AUTH_METHODS,
        "end_session_endpoint": f"{issuer}/v1/logout",
        "request_parameter_supported": False,
        "request_uri_parameter_supported": False,
        "claims_parameter_supported": False,
        "prompt_values_supported": ["none", "login", "consent"],
    }
    if oidc:
        doc["id_token_signing_alg_values_supported"] = ["RS256"]
    else:
        # Okta's RFC 8414 document (seen in okta/okta-oidc-android#190): no userinfo endpoint, and the
        # access token's claims.
        doc.pop("userinfo_endpoint")
        doc["claims_supported"] = ["ver", "jti", "iss", "aud", "iat", "exp", "cid", "uid", "scp", "sub"]
    return doc
