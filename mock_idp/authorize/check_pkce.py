"""PKCE (RFC 7636): S256 only; required for public clients (Okta: token_endpoint_auth_method `none`)."""

import re

from mock_idp.errors import InvalidRequest

# RFC 7636 §4.2: BASE64URL(SHA256(verifier)) is exactly 43 characters of the base64url alphabet.
S256_CHALLENGE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def check(params, client, cfg) -> dict:
    challenge = params.get("code_challenge")
    method = params.get("code_challenge_method")
    if not challenge:
        if method:
            raise InvalidRequest("The 'code_challenge' parameter is required when 'code_challenge_method' is sent.")
        if not client.confidential:
            # Okta's wording (quoted in aws-amplify/amplify-js#4814).
            raise InvalidRequest("PKCE code challenge is required when the token endpoint authentication method "
                                 "is 'NONE'.")
        return {"code_challenge": None}
    if method != "S256":
        # RFC 7636 §4.3 would default to `plain`; Okta supports S256 only.
        raise InvalidRequest("PKCE code challenge method is not supported. The only supported value is 'S256'.")
    if not S256_CHALLENGE.match(challenge):
        raise InvalidRequest("PKCE code challenge contains illegal characters or is not 43 characters long.")
    return {"code_challenge": challenge}
