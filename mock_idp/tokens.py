"""Okta's tokens: the thin code-flow ID token and the JWT access token, RS256 with `kid`.

Claims follow Okta's custom authorization server (facts.md; Okta "Tokens and claims" reference): the ID
token holds no given_name/family_name when an access token is issued with it (those come from
/v1/userinfo), `sub` is the user id in the ID token but the login in the access token.
"""

from __future__ import annotations

import base64
import hashlib
import secrets

import jwt

from mock_idp.keys import KeyStore
from mock_idp.models import User
from mock_idp.settings import Settings


def _jti(prefix: str) -> str:
    return f"{prefix}.{secrets.token_urlsafe(32)}"


def at_hash(access_token: str) -> str:
    # OIDC Core §3.1.3.6: left half of the SHA-256 of the ASCII access token, base64url without padding.
    digest = hashlib.sha256(access_token.encode()).digest()
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode()


def sign(claims: dict, keys: KeyStore) -> str:
    key = keys.active
    return jwt.encode(claims, key.private_key, algorithm="RS256", headers={"kid": key.kid})


def access_token(user: User, client_id: str, scopes: tuple[str, ...], auth_time: int, cfg: Settings,
                 keys: KeyStore, now: float) -> str:
    iat = int(now)
    return sign({
        "ver": 1, "jti": _jti("AT"), "iss": cfg.issuer, "aud": cfg.audience, "iat": iat,
        "exp": iat + cfg.access_token_ttl, "cid": client_id, "uid": user.id, "scp": list(scopes),
        "auth_time": auth_time, "sub": user.login,
    }, keys)


def id_token(user: User, client_id: str, scopes: tuple[str, ...], auth_time: int, nonce: str | None,
             access: str | None, cfg: Settings, keys: KeyStore, now: float) -> str:
    iat = int(now)
    claims = {
        "sub": user.id, "ver": 1, "iss": cfg.issuer, "aud": client_id, "iat": iat,
        "exp": iat + cfg.id_token_ttl, "jti": _jti("ID"), "amr": ["pwd"], "idp": cfg.org_id,
        "auth_time": auth_time,
    }
    if "profile" in scopes:
        claims.update(name=user.name, preferred_username=user.login)
    if "email" in scopes:
        claims["email"] = user.email
    if nonce is not None:
        claims["nonce"] = nonce
    if access is not None:
        claims["at_hash"] = at_hash(access)
    return sign(claims, keys)


def verify(token: str, keys: KeyStore, cfg: Settings, now: float, audience: str | None = None,
           check_exp: bool = True) -> dict | None:
    """Claims of a token this server signed and that is still valid; None otherwise.

    Only RS256 and only our own published keys (by kid): no `alg: none`, no HS256 keyed with the public
    key (alg confusion). Expiry is checked against the clock passed in."""
    try:
        header = jwt.get_unverified_header(token)
        key = keys.find(str(header.get("kid")), now)
        if key is None or header.get("alg") != "RS256":
            return None
        claims = jwt.decode(token, key.private_key.public_key(), algorithms=["RS256"], issuer=cfg.issuer,
                            audience=audience, options={"verify_aud": audience is not None, "verify_exp": False,
                                                        "require": ["iss", "iat", "exp"]})
    except (jwt.PyJWTError, ValueError, TypeError):
        return None
    exp = claims.get("exp")
    if check_exp and not (isinstance(exp, (int, float)) and now < exp):
        return None
    return claims
