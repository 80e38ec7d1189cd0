"""The authorization code grant (RFC 6749 §4.1.3) with PKCE verification (RFC 7636 §4.6)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from mock_idp.errors import InvalidGrant, InvalidRequest

# RFC 7636 §4.1: 43 to 128 unreserved characters.
VERIFIER = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
INVALID_CODE = "The authorization code is invalid or has expired."


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


def handle(form, client, provider, now: float) -> dict:
    code = form.get("code")
    if not code:
        raise InvalidRequest("The 'code' parameter is missing.")
    if not form.get("redirect_uri"):
        raise InvalidRequest("The 'redirect_uri' parameter is missing.")
    # Single use: taken out on read, so a replay finds nothing (RFC 6749 §4.1.2).
    grant = provider.state.codes.pop(code, now)
    if grant is None or grant.request.client_id != client.client_id:
        raise InvalidGrant(INVALID_CODE)
    request = grant.request
    if form.get("redirect_uri") != request.redirect_uri:
        raise InvalidGrant("The 'redirect_uri' does not match the redirection URI used in the authorization request.")
    verifier = form.get("code_verifier")
    if request.code_challenge is None:
        if verifier:
            raise InvalidGrant("PKCE verification failed.")  # a verifier for a code issued without a challenge
    else:
        if not verifier:
            raise InvalidGrant("PKCE verification failed.")  # RFC 7636 §4.6: a bound code needs its verifier
        if not VERIFIER.match(verifier):
            raise InvalidRequest("The PKCE code verifier must be 43 to 128 characters of [A-Z], [a-z], [0-9], "
                                 "'-', '.', '_' and '~'.")
        # RFC 7636 §4.6: S256, compared in constant time.
        if not hmac.compare_digest(s256(verifier), request.code_challenge):
            raise InvalidGrant("PKCE verification failed.")
    user = provider.state.directory.user(grant.user_id)
    if user is None or not user.can_sign_in():
        raise InvalidGrant(INVALID_CODE)
    return provider.issue_tokens(user, client, request.scopes, grant.auth_time, request.nonce, now)
