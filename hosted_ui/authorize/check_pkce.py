"""PKCE (RFC 7636): Cognito accepts only S256, and a challenge needs its method."""

import re

from hosted_ui.errors import InvalidRequest

# RFC 7636 §4.2: BASE64URL(SHA256(verifier)) is 43 characters.
CHALLENGE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def check(request, client: dict, ctx) -> dict:
    if request.code_challenge is None and request.code_challenge_method is None:
        return {}
    if request.code_challenge is None:
        raise InvalidRequest("code_challenge is required with code_challenge_method")
    if request.code_challenge_method is None:
        raise InvalidRequest("code_challenge_method is required with code_challenge")
    if request.code_challenge_method != "S256":
        raise InvalidRequest("Only S256 is supported as code_challenge_method")
    if not CHALLENGE.match(request.code_challenge):
        raise InvalidRequest("Invalid code_challenge")
    return {}
