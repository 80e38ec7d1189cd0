"""Check a Cognito ID token's claims, beyond the signature and expiry that PyJWT checks.

Cognito's "Verifying JSON web tokens" (docs.aws.amazon.com/cognito/latest/developerguide/
amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html): `aud` is the app client id, `iss` is the
user pool's issuer, `token_use` is "id" for an ID token. OIDC Core 3.1.3.7: the nonce must be the one
sent. Plain functions of the token and the expected values (no request, no settings); IdTokenRejected is a
Django SuspiciousOperation, which the backend turns into the sign-in failure page.
"""

from __future__ import annotations

import hmac

import jwt
from django.core.exceptions import SuspiciousOperation

REQUIRED = ("sub", "iss", "aud", "exp", "iat", "token_use", "cognito:username")


class IdTokenRejected(SuspiciousOperation):
    """The ID token is not one this client may accept; the message says why."""


def check_header(token: str | None) -> dict:
    """Before any key is looked up: a JWT whose header names RS256 and a key id (Cognito's header)."""
    if not token:
        raise IdTokenRejected("the token response has no id_token (was the openid scope granted?)")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError as exc:
        raise IdTokenRejected(f"ID token is not a JWT: {exc}") from None
    if header.get("alg") != "RS256":  # never "none", never HS256 keyed with a public key
        raise IdTokenRejected(f"ID token alg is {header.get('alg')!r}, expected 'RS256'")
    if not header.get("kid"):
        raise IdTokenRejected("ID token header has no kid")
    return header


def decode_signed(token: str, key, *, leeway: int) -> dict:
    """Verify the RS256 signature, `exp` and `iat` (with `leeway` seconds for clock skew); return the claims."""
    try:
        # iss/aud are checked below with messages that say which claim is wrong.
        return jwt.decode(token, key, algorithms=["RS256"], leeway=leeway,
                          options={"verify_aud": False, "verify_iss": False, "require": ["exp", "iat"]})
    except jwt.ExpiredSignatureError:
        raise IdTokenRejected("ID token has expired (check the clocks: OIDC_CLOCK_SKEW_SECONDS)") from None
    except jwt.InvalidTokenError as exc:
        raise IdTokenRejected(f"ID token signature or format is invalid: {exc}") from None


def check_claims(claims: dict, *, issuer: str, client_id: str, nonce: str | None) -> dict:
    """Raise IdTokenRejected unless the claims are those of an ID token issued to this client."""
    if claims.get("token_use") != "id":
        raise IdTokenRejected(f"token_use is {claims.get('token_use')!r}, expected 'id' "
                              "(an access token cannot stand in for an ID token)")
    if claims.get("iss") != issuer:
        raise IdTokenRejected(f"iss is {claims.get('iss')!r}, expected {issuer!r}")
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if client_id not in audiences:
        raise IdTokenRejected(f"aud is {audience!r}, expected this app client {client_id!r}")
    if nonce is not None and not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
        raise IdTokenRejected("nonce does not match the one this sign-in sent (a replayed or injected token)")
    missing = [name for name in REQUIRED if name not in claims]
    if missing:
        raise IdTokenRejected(f"ID token lacks {', '.join(missing)}")
    return claims
