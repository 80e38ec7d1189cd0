"""The COGNITO_USER_POOLS authorizer of a REST API method, enforced as API Gateway documents it.

"Control access to REST APIs using Amazon Cognito user pools as an authorizer" and the knowledge-center
article "troubleshoot 401 Unauthorized from a Cognito authorizer": the token comes from the authorizer's
`identitySource` header; it must be signed (RS256) by one of the authorizer's user pools, carry that
pool's issuer and not be expired. A method without OAuth scopes takes an ID token (whose `aud` is a client
of the pool); a method with scopes takes an access token holding at least one of them. With the
authorizer's `identityValidationExpression` set, the token's `aud` must match it (so access tokens, which
have no `aud`, never pass). Anything else is 401 `Unauthorized`; an expired token is 401
`The incoming token has expired`.

A revoked access token (global sign-out, /oauth2/revoke) is still accepted until it expires: the
authorizer verifies the JWT itself, and Cognito's docs say revoked tokens "will still be valid if they
are verified using any JWT library that verifies the signature and expiration" ("Revoking tokens"); the
reports agree (aws/aws-sdk-js#1687, aws-amplify/amplify-js#3435: the gateway still accepts them).

A token is parsed once (header, claims and signature in one PyJWT pass) and its RSA signature check is
remembered under the exact token string (`VerifiedTokens`), so a client repeating its token skips the RSA
verify; see that class for why this is faithful and what is still checked on every request. What follows
from the token's claims alone (token_use, scopes, the validation expression; the claims as strings for the
proxy event) is worked out once per token and method configuration, since those claims cannot change under
the same string; what can change (expiry against now, the key, the pool's app clients) is read every time.
"""

from __future__ import annotations

import functools
import re
import threading
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import NamedTuple

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from jwt import PyJWK
from jwt.algorithms import RSAAlgorithm
from moto.backends import get_backend

from aws_endpoint.apigateway.errors import AuthorizerConfigurationError, ExpiredToken, Unauthorized
from aws_endpoint.apigateway.jwks import CACHE, JwksCache, KeyUnavailable
from aws_endpoint.apigateway.proxy_event import string_claims
from aws_endpoint.apigateway.stage_variables import substitute
from sandbox.aws_urls import cognito_issuer

HEADER_SOURCE = "method.request.header."
RS256 = RSAAlgorithm(RSAAlgorithm.SHA256)
# One parse of the token, no signature check (done below with the pool's key): PyJWT still validates the
# segments' base64url, the header (kid type, crit, b64) and the claims it checks by default on a verified
# decode (sub and jti strings), and requires exp, iss and token_use, as the former verified decode did.
_PARSER = jwt.PyJWT()
PARSE_OPTIONS = {"verify_signature": False, "verify_sub": True, "verify_jti": True,
                 "require": ["exp", "iss", "token_use"]}


@dataclass(frozen=True)
class Pool:
    region: str
    account_id: str
    pool_id: str

    @functools.cached_property
    def issuer(self) -> str:  # the settings are read once per process (sandbox.config.settings)
        return cognito_issuer(self.pool_id)

    def client_ids(self) -> Collection[str]:
        """The pool's app client ids as they are now (read live, so a deleted client's tokens stop at once;
        a view of moto's dict, not a copy). Read as plain dicts: indexing moto's BackendDict creates an
        account's or region's backend on first use and counts it as looked up for the durable state,
        neither of which a read of a pool needs."""
        regions = dict.get(_cognito_backends(), self.account_id) or {}
        backend = dict.get(regions, self.region)
        pool = backend.user_pools.get(self.pool_id) if backend is not None else None
        return pool.clients.keys() if pool is not None else ()


@functools.lru_cache(maxsize=1)
def _cognito_backends():
    return get_backend("cognito-idp")  # one BackendDict per service for the life of the process


@functools.lru_cache(maxsize=256)
def pool_from_arn(arn: str) -> Pool:
    """arn:aws:cognito-idp:<region>:<account>:userpool/<poolId>."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "cognito-idp" or not parts[5].startswith("userpool/"):
        raise AuthorizerConfigurationError(f"provider ARN {arn!r} is not a Cognito user pool ARN")
    return Pool(region=parts[3], account_id=parts[4], pool_id=parts[5][len("userpool/"):])


@functools.lru_cache(maxsize=256)
def header_name(identity_source: str | None) -> str:
    """The request header an identity source names (`method.request.header.<name>`)."""
    if not identity_source or not identity_source.strip().startswith(HEADER_SOURCE):
        raise AuthorizerConfigurationError(f"identitySource {identity_source!r} is not a request header")
    return identity_source.strip()[len(HEADER_SOURCE):]


def token_from(headers, identity_source: str | None) -> str:
    """The raw token from the identity-source header."""
    name = header_name(identity_source)
    value = (headers.get(name) or "").strip()  # header names are case-insensitive (RFC 9110 §5.1)
    # A "Bearer " prefix is accepted: AWS's own workshop pastes "Bearer <token>" into the authorizer test,
    # Amplify's REST docs send it (aws-amplify/docs#722), and LocalStack's AWS-validated Cognito authorizer
    # tests cover it. *Unconfirmed* in API Gateway's reference; the raw token is what the docs show.
    if value[:7].lower() == "bearer ":
        value = value[7:].strip()
    if not value:
        raise Unauthorized(f"no token in the {name} header")
    return value


@dataclass(frozen=True)
class Verified:
    """A token whose RS256 signature was checked with `key` (the JWKS cache's parsed key `kid` of `jwks_url`).

    `passed` holds the method configurations (issuer, scopes, validation expression) whose checks of the
    claims alone this token passed; `context_claims` is the claims as the proxy event passes them. Both
    depend on nothing but the claims, which cannot change under the same token string."""

    claims: dict
    issuer: str
    jwks_url: str
    kid: str
    key: PyJWK
    exp: float
    passed: set = field(default_factory=set, compare=False, repr=False)

    @functools.cached_property
    def context_claims(self) -> dict[str, str]:
        return string_claims(self.claims)


class Grant(NamedTuple):  # made on every request let through: a tuple is the cheapest record to make
    """A request let through: the token's claims (the caller's own copy) and the proxy event's string form
    of them (shared: not to be changed)."""

    claims: dict
    context_claims: dict[str, str]


class VerifiedTokens:
    """Successful signature checks, by exact token string: bounded, each entry gone at its token's exp.

    Faithful because API Gateway itself caches authorizer results, Cognito user pool authorizers included:
    the Authorizer resource's `authorizerResultTtlInSeconds` ("If it is greater than 0, API Gateway will
    cache authorizer responses. If this field is not set, the default value is 300", API Gateway API
    reference, Authorizer), which CDK's CognitoUserPoolsAuthorizer exposes as `resultsCacheTtl` (default 5
    minutes) and SAM's CognitoAuthorizationIdentity as `ReauthorizeEvery` (default 300). This cache holds
    less than that: only "this exact string carries a valid signature of key K". Every request still checks
    expiry against now, the issuer against the authorizer's pools and the token's app client against the
    pool's; the method's scopes or the ID token's kind, decided by the claims alone, are checked once per
    method configuration (`Verified.passed`); and an entry counts only while K is still the JWKS cache's
    key for its kid, so a key rotated away (the JWKS refetched without it) invalidates its tokens exactly
    when an uncached verify would start refusing them. A different string (tampered, re-signed, alg
    none...) is simply a miss.
    """

    def __init__(self, max_entries: int = 10_000):
        self.max_entries = max_entries
        self._entries: dict[str, Verified] = {}  # insertion order: oldest first
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, token: str, cache: JwksCache) -> Verified | None:
        entry = self._entries.get(token)
        if entry is not None and cache.cached_key(entry.jwks_url, entry.kid) is not entry.key:
            self._entries.pop(token, None)  # the key was rotated away or refetched: verify afresh
            return None
        return entry

    def forget(self, token: str) -> None:
        self._entries.pop(token, None)

    def add(self, token: str, entry: Verified, now: float) -> None:
        with self._lock:
            if token not in self._entries and len(self._entries) >= self.max_entries:
                for stale in [t for t, e in self._entries.items() if now >= e.exp]:
                    del self._entries[stale]
                while len(self._entries) >= self.max_entries:
                    del self._entries[next(iter(self._entries))]  # still full: the oldest goes
            self._entries[token] = entry


VERIFIED = VerifiedTokens()


def verified_entry(token: str, pools: list[Pool], cache: JwksCache, now: float,
                   verified: VerifiedTokens = VERIFIED) -> tuple[Verified, Pool]:
    """The token's cache entry and its pool, once its signature, issuer and expiry are checked against the
    pools (the entry's claims are not to be changed)."""
    entry = verified.get(token, cache)
    if entry is None:
        entry = check_signature(token, pools, cache)
        if now < entry.exp:
            verified.add(token, entry, now)
    for pool in pools:
        if pool.issuer == entry.issuer:
            break
    else:  # a token cached for another authorizer's pool
        raise Unauthorized(f"iss {entry.issuer!r} is not the issuer of the authorizer's user pool")
    if now >= entry.exp:  # expiry only after the signature: a forged expired token is just Unauthorized
        verified.forget(token)
        raise ExpiredToken(f"token expired at {entry.exp}")
    return entry, pool


def check_signature(token: str, pools: list[Pool], cache: JwksCache) -> Verified:
    """Parse the token once and check its RS256 signature with its pool's key (no expiry check here)."""
    try:
        decoded = _PARSER.decode_complete(token, options=PARSE_OPTIONS)
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"not a valid JWT: {exc}") from None
    header, claims = decoded["header"], decoded["payload"]
    if header.get("alg") != "RS256":  # Cognito signs RS256 only: refuses alg none and HS256-with-the-public-key
        raise Unauthorized(f"alg {header.get('alg')!r} is not RS256")
    if not isinstance(header.get("kid"), str) or not header["kid"]:
        raise Unauthorized("no kid in the token header")
    pool = next((p for p in pools if p.issuer == claims.get("iss")), None)
    if pool is None:
        raise Unauthorized(f"iss {claims.get('iss')!r} is not the issuer of the authorizer's user pool")
    jwks_url = pool.issuer + "/.well-known/jwks.json"
    try:
        key = cache.key(jwks_url, header["kid"])
    except KeyUnavailable as exc:
        raise Unauthorized(str(exc)) from None
    if not isinstance(key.key, RSAPublicKey):
        raise Unauthorized(f"key {header['kid']!r} is not an RSA public key")
    signing_input = token.encode().rsplit(b".", 1)[0]
    if not RS256.verify(signing_input, key.key, decoded["signature"]):
        raise Unauthorized("token rejected: Signature verification failed")
    exp = claims["exp"]
    if not isinstance(exp, (int, float)) or isinstance(exp, bool):
        raise Unauthorized("exp is not a number")
    return Verified(claims, pool.issuer, jwks_url, header["kid"], key, exp)


def check_token_use(claims: dict, scopes: list[str]) -> None:
    """What the claims alone decide: the kind of token, and for a method with scopes, one of them."""
    if scopes:
        if claims.get("token_use") != "access":
            raise Unauthorized(f"token_use {claims.get('token_use')!r}: a method with scopes takes an access token")
        granted = set(str(claims.get("scope", "")).split())
        if not granted.intersection(scopes):
            raise Unauthorized(f"scope {claims.get('scope')!r} holds none of {' '.join(scopes)}")
    elif claims.get("token_use") != "id":
        raise Unauthorized(f"token_use {claims.get('token_use')!r}: a method without scopes takes an ID token")


def check_client(claims: dict, pool: Pool, scopes: list[str]) -> None:
    """The token's app client (an access token's client_id, an ID token's aud) is still one of the pool's.
    A deleted app client's tokens: what API Gateway does is unconfirmed; the safe answer: 401 (README,
    known differences)."""
    name = "client_id" if scopes else "aud"
    if claims.get(name) not in pool.client_ids():
        raise Unauthorized(f"{name} {claims.get(name)!r} is not a client of {pool.pool_id}")


@functools.lru_cache(maxsize=256)
def _expression(pattern: str) -> re.Pattern:
    try:
        return re.compile(pattern)
    except re.error as exc:  # real API Gateway refuses it at CreateAuthorizer; moto stores anything
        raise AuthorizerConfigurationError(f"identityValidationExpression {pattern!r}: {exc}") from None


def check_validation_expression(claims: dict, expression: str | None) -> None:
    """The authorizer's token validation: the token's `aud` must match `identityValidationExpression`.

    Authorizer reference (API Gateway API): "For COGNITO_USER_POOLS authorizers, API Gateway will match the
    aud field of the incoming token from the client against the specified regular expression. It will
    invoke the authorizer's Lambda function when there is a match. Otherwise, it will return a 401
    Unauthorized response". So a match lets the request through and no match is 401 (the "Lambda function"
    is copied from the TOKEN wording). An access token has no `aud`, so with an expression set it is
    always 401 (repost.aws QUGzY5WYQBRx-ymHvMCzVD7Q: removing the expression fixed access tokens; repost.aws
    QU-Z-UYrX_S6OOtFKJ8zyxRA: ID tokens of a second pool fail the first pool's client-id expression).
    The whole `aud` must match (Java's Pattern.matches, as published expressions like ".*\\..*\\..*"
    written for a whole token suggest; *unconfirmed* in the reference).
    """
    if not expression:
        return
    aud = claims.get("aud")
    if not isinstance(aud, str) or _expression(expression).fullmatch(aud) is None:
        raise Unauthorized(f"aud {aud!r} does not match identityValidationExpression {expression!r}")


def authorize(authorizer, scopes: list[str] | None, headers, stage_variables: dict[str, str],
              cache: JwksCache = CACHE, now: float | None = None, verified: VerifiedTokens = VERIFIED) -> Grant:
    """The verified claims for a request to a method behind `authorizer` (a moto Authorizer)."""
    if authorizer is None:
        raise AuthorizerConfigurationError("the method names an authorizer the API does not have")
    if authorizer.type != "COGNITO_USER_POOLS":
        raise AuthorizerConfigurationError(f"{authorizer.type} authorizers are not emulated by this sandbox")
    pools = [pool_from_arn(substitute(arn, stage_variables)) for arn in authorizer.provider_arns or []]
    if not pools:
        raise AuthorizerConfigurationError("the authorizer has no user pool (providerARNs)")
    token = token_from(headers, authorizer.identity_source)
    entry, pool = verified_entry(token, pools, cache, time.time() if now is None else now, verified)
    scopes = list(scopes or [])
    expression = getattr(authorizer, "identity_validation_expression", None)
    # The checks of the claims alone, once per token and configuration (in their order: the expression
    # first); the configuration is the key, so a method or authorizer changed through the API is checked anew.
    checked = (pool.issuer, tuple(scopes), expression)
    if checked not in entry.passed:
        check_validation_expression(entry.claims, expression)
        check_token_use(entry.claims, scopes)
        entry.passed.add(checked)
    check_client(entry.claims, pool, scopes)
    return Grant(dict(entry.claims), entry.context_claims)
