"""Check a Cognito ID token: its RS256 signature and times (as PyJWT's decode checks them), then its claims.

Cognito's "Verifying JSON web tokens" (docs.aws.amazon.com/cognito/latest/developerguide/
amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html): `aud` is the app client id, `iss` is the
user pool's issuer, `token_use` is "id" for an ID token. OIDC Core 3.1.3.7: the nonce must be the one
sent. Plain functions of the token and the expected values (no request, no settings); IdTokenRejected is a
Django SuspiciousOperation, which the backend turns into the sign-in failure page.
"""

from __future__ import annotations

import hmac
import time
from functools import lru_cache

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from django.core.exceptions import SuspiciousOperation
from jwt.algorithms import RSAAlgorithm

REQUIRED = ("sub", "iss", "aud", "exp", "iat", "token_use", "cognito:username")
RS256 = RSAAlgorithm(RSAAlgorithm.SHA256)


class IdTokenRejected(SuspiciousOperation):
    """The ID token is not one this client may accept; the message says why."""


# A sign-in's ID token is checked here, then shown on the flow page and on every profile page
# (token_view.py): each token is parsed once (header, claims and signature in one PyJWT pass), and its
# signature found good with a given key once. The key is the key set's parsed key object, so a refetched
# key set (a rotation) is a miss; a refusal is not kept (lru_cache keeps answers only).
def parsed(token) -> tuple[dict, dict, bytes, str]:
    """(header, claims, signature, "") of a JWT, unverified; ({}, {}, b"", why) when it is not one.
    A token response's id_token may be any JSON value: what is not a string gets PyJWT's own refusal
    ("Invalid token type") before the cache, which would fail hashing a list or an object. The header
    and claims handed out are fresh copies (nested lists and objects too: `aud`, `cognito:groups`), so
    no caller can change the cached parse."""
    if not isinstance(token, str):
        return _parse(token)
    header, claims, signature, problem = _parsed(token)
    return _copy(header), _copy(claims), signature, problem


@lru_cache(maxsize=512)
def _parsed(token: str) -> tuple[dict, dict, bytes, str]:
    return _parse(token)


def _parse(token) -> tuple[dict, dict, bytes, str]:
    try:
        parts = jwt.decode_complete(token, options={"verify_signature": False})
        return parts["header"], parts["payload"], parts["signature"], ""
    except jwt.InvalidTokenError as exc:
        return {}, {}, b"", f"not a JWT: {exc}"


def _copy(value):
    """A deep copy of decoded JSON (dicts, lists and immutable scalars): cheaper than copy.deepcopy."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


@lru_cache(maxsize=512)
def check_signature(token: str, key: jwt.PyJWK, signature: bytes) -> None:
    """Raise jwt.InvalidTokenError unless `key` made the RS256 `signature` over the token's header and claims."""
    if not isinstance(key.key, RSAPublicKey):
        raise jwt.InvalidKeyError(f"key {key.key_id!r} is not an RSA public key")
    if not RS256.verify(token.rsplit(".", 1)[0].encode(), key.key, signature):
        raise jwt.InvalidSignatureError("Signature verification failed")


def check_header(token: str | None) -> dict:
    """Before any key is looked up: a JWT whose header names RS256 and a key id (Cognito's header)."""
    if not token:
        raise IdTokenRejected("the token response has no id_token (was the openid scope granted?)")
    header, _, _, problem = parsed(token)
    if problem:
        raise IdTokenRejected(f"ID token is {problem}")
    if header.get("alg") != "RS256":  # never "none", never HS256 keyed with a public key
        raise IdTokenRejected(f"ID token alg is {header.get('alg')!r}, expected 'RS256'")
    if not header.get("kid"):
        raise IdTokenRejected("ID token header has no kid")
    return dict(header)


def decode_signed(token: str, key, *, leeway: int, now: float | None = None) -> dict:
    """Verify the RS256 signature, `exp` and `iat` (with `leeway` seconds for clock skew); return the claims.
    The checks and messages are those of PyJWT's `jwt.decode(token, key, algorithms=["RS256"],
    options={"require": ["exp", "iat"]})` (RFC 7519 §4.1.4-4.1.6: exp, nbf, iat as NumericDates, and
    a string sub and jti), on the token's one cached parse; iss and aud are checked by check_claims."""
    header, claims, signature, problem = parsed(token)
    try:
        if problem:
            raise jwt.DecodeError(problem.removeprefix("not a JWT: "))
        if header.get("alg") != "RS256":
            raise jwt.InvalidAlgorithmError("The specified alg value is not allowed")
        check_signature(token, key, signature)
        _check_times(claims, time.time() if now is None else now, leeway)
    except jwt.ExpiredSignatureError:
        raise IdTokenRejected("ID token has expired (check the clocks: OIDC_CLOCK_SKEW_SECONDS)") from None
    except jwt.PyJWTError as exc:  # InvalidTokenError, and InvalidKeyError for a key of another type
        raise IdTokenRejected(f"ID token signature or format is invalid: {exc}") from None
    return dict(claims)


def _check_times(claims: dict, now: float, leeway: float) -> None:
    """PyJWT's _validate_claims for the options decode_signed uses (its classes and messages)."""
    for name in ("exp", "iat"):
        if claims.get(name) is None:
            raise jwt.MissingRequiredClaimError(name)

    def number(name: str, error, what: str) -> int:
        try:
            return int(claims[name])
        except (ValueError, TypeError, OverflowError):
            raise error(f"{what} ({name}) must be an integer.") from None

    if number("iat", jwt.InvalidIssuedAtError, "Issued At claim") > now + leeway:
        raise jwt.ImmatureSignatureError("The token is not yet valid (iat)")
    if "nbf" in claims and number("nbf", jwt.DecodeError, "Not Before claim") > now + leeway:
        raise jwt.ImmatureSignatureError("The token is not yet valid (nbf)")
    if number("exp", jwt.DecodeError, "Expiration Time claim") <= now - leeway:
        raise jwt.ExpiredSignatureError("Signature has expired")
    if "sub" in claims and not isinstance(claims["sub"], str):
        raise jwt.exceptions.InvalidSubjectError("Subject must be a string")
    if "jti" in claims and not isinstance(claims["jti"], str):
        raise jwt.exceptions.InvalidJTIError("JWT ID must be a string")


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
