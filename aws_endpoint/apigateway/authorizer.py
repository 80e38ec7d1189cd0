"""The COGNITO_USER_POOLS authorizer of a REST API method, enforced as API Gateway documents it.

"Control access to REST APIs using Amazon Cognito user pools as an authorizer" and the knowledge-center
article "troubleshoot 401 Unauthorized from a Cognito authorizer": the token comes from the authorizer's
`identitySource` header; it must be signed (RS256) by one of the authorizer's user pools, carry that
pool's issuer and not be expired. A method without OAuth scopes takes an ID token (whose `aud` is a client
of the pool); a method with scopes takes an access token holding at least one of them. Anything else is
401 `Unauthorized`; an expired token is 401 `The incoming token has expired`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import jwt
from moto.backends import get_backend

from aws_endpoint.apigateway.errors import AuthorizerConfigurationError, ExpiredToken, Unauthorized
from aws_endpoint.apigateway.jwks import CACHE, JwksCache, KeyUnavailable
from aws_endpoint.apigateway.stage_variables import substitute
from sandbox.config import settings

HEADER_SOURCE = "method.request.header."


@dataclass(frozen=True)
class Pool:
    region: str
    account_id: str
    pool_id: str

    @property
    def issuer(self) -> str:
        # The emulated Cognito's issuer (aws_endpoint/cognito); real AWS: https://cognito-idp.<region>.amazonaws.com/<id>
        return f"{settings().aws_public_url}/{self.pool_id}"

    def client_ids(self) -> set[str]:
        backend = get_backend("cognito-idp")[self.account_id][self.region]
        pool = backend.user_pools.get(self.pool_id)
        return set(pool.clients) if pool is not None else set()


def pool_from_arn(arn: str) -> Pool:
    """arn:aws:cognito-idp:<region>:<account>:userpool/<poolId>."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "cognito-idp" or not parts[5].startswith("userpool/"):
        raise AuthorizerConfigurationError(f"provider ARN {arn!r} is not a Cognito user pool ARN")
    return Pool(region=parts[3], account_id=parts[4], pool_id=parts[5][len("userpool/"):])


def token_from(headers, identity_source: str | None) -> str:
    """The raw token from the identity-source header."""
    if not identity_source or not identity_source.strip().startswith(HEADER_SOURCE):
        raise AuthorizerConfigurationError(f"identitySource {identity_source!r} is not a request header")
    name = identity_source.strip()[len(HEADER_SOURCE):]
    value = (headers.get(name) or "").strip()  # header names are case-insensitive (RFC 9110 §5.1)
    # A "Bearer " prefix is accepted: AWS's own workshop pastes "Bearer <token>" into the authorizer test,
    # Amplify's REST docs send it (aws-amplify/docs#722), and LocalStack's AWS-validated Cognito authorizer
    # tests cover it. *Unconfirmed* in API Gateway's reference; the raw token is what the docs show.
    if value[:7].lower() == "bearer ":
        value = value[7:].strip()
    if not value:
        raise Unauthorized(f"no token in the {name} header")
    return value


def verify(token: str, pools: list[Pool], cache: JwksCache, now: float) -> tuple[dict, Pool]:
    """The token's claims, once its signature, issuer and expiry are checked against the pools."""
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"not a JWT: {exc}") from None
    if header.get("alg") != "RS256":  # Cognito signs RS256 only: refuses alg none and HS256-with-the-public-key
        raise Unauthorized(f"alg {header.get('alg')!r} is not RS256")
    if not isinstance(header.get("kid"), str) or not header["kid"]:
        raise Unauthorized("no kid in the token header")
    pool = next((p for p in pools if p.issuer == unverified.get("iss")), None)
    if pool is None:
        raise Unauthorized(f"iss {unverified.get('iss')!r} is not the issuer of the authorizer's user pool")
    try:
        key = cache.key(pool.issuer + "/.well-known/jwks.json", header["kid"])
    except KeyUnavailable as exc:
        raise Unauthorized(str(exc)) from None
    try:
        claims = jwt.decode(token, key.key, algorithms=["RS256"], issuer=pool.issuer,
                            options={"verify_exp": False, "verify_aud": False, "verify_iat": False,
                                     "verify_nbf": False, "require": ["exp", "iss", "token_use"]})
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"token rejected: {exc}") from None
    if not isinstance(claims["exp"], (int, float)) or isinstance(claims["exp"], bool):
        raise Unauthorized("exp is not a number")
    if now >= claims["exp"]:  # expiry only after the signature: a forged expired token is just Unauthorized
        raise ExpiredToken(f"token expired at {claims['exp']}")
    return claims, pool


def check_use(claims: dict, pool: Pool, scopes: list[str]) -> None:
    """ID token for a method without scopes; access token holding one of the scopes otherwise."""
    if scopes:
        if claims.get("token_use") != "access":
            raise Unauthorized(f"token_use {claims.get('token_use')!r}: a method with scopes takes an access token")
        granted = set(str(claims.get("scope", "")).split())
        if not granted.intersection(scopes):
            raise Unauthorized(f"scope {claims.get('scope')!r} holds none of {' '.join(scopes)}")
        return
    if claims.get("token_use") != "id":
        raise Unauthorized(f"token_use {claims.get('token_use')!r}: a method without scopes takes an ID token")
    if claims.get("aud") not in pool.client_ids():
        raise Unauthorized(f"aud {claims.get('aud')!r} is not a client of {pool.pool_id}")


def authorize(authorizer, scopes: list[str] | None, headers, stage_variables: dict[str, str],
              cache: JwksCache = CACHE, now: float | None = None) -> dict:
    """The verified claims for a request to a method behind `authorizer` (a moto Authorizer)."""
    if authorizer is None:
        raise AuthorizerConfigurationError("the method names an authorizer the API does not have")
    if authorizer.type != "COGNITO_USER_POOLS":
        raise AuthorizerConfigurationError(f"{authorizer.type} authorizers are not emulated by this sandbox")
    pools = [pool_from_arn(substitute(arn, stage_variables)) for arn in authorizer.provider_arns or []]
    if not pools:
        raise AuthorizerConfigurationError("the authorizer has no user pool (providerARNs)")
    token = token_from(headers, authorizer.identity_source)
    claims, pool = verify(token, pools, cache, time.time() if now is None else now)
    check_use(claims, pool, list(scopes or []))
    return claims
