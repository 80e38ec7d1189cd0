"""Where moto's Cognito differs from the AWS API on things this sandbox relies on, patched in one place
(`install()`, called once by aws_endpoint.app.create_app):

- user names in a pool whose `UsernameConfiguration.CaseSensitive` is false are found whatever the case
  asked ("users can sign in using username, USERNAME, or UserName", UsernameConfigurationType; "Amazon
  Cognito treats any variation in case as the same user", CreateUserPool): AdminGetUser of `Okta_00u1…`
  finds `okta_00u1…`, and AdminCreateUser of a case variant is UsernameExistsException;
- UpdateUserPool keeps what it cannot change: the settings CreateUserPool takes and UpdateUserPool does
  not (UsernameConfiguration, UsernameAttributes, AliasAttributes...; "This configuration is immutable
  after you set it", CreateUserPool's UsernameConfiguration), where moto resets them to its defaults;
- DescribeUserPoolDomain's `AWSAccountId` is the pool owner's account ("The Amazon Web Services ID for
  the user pool owner", DomainDescriptionType), not a new UUID on each call;
- GlobalSignOut and AdminUserGlobalSignOut are recorded in revocations.py, so the hosted UI refuses the
  user's refresh tokens and the user pool API refuses the access tokens ("Access Token has been revoked");
- GetUser and GlobalSignOut take the access tokens the hosted UI mints with the pool's keys, as the real
  API takes the hosted UI's tokens. They must carry the scope `aws.cognito.signin.user.admin` ("Authorize
  this action with a signed-in user's access token. It must include the scope
  aws.cognito.signin.user.admin", GetUser and GlobalSignOut references)."""

from __future__ import annotations

import functools
import time

import botocore.session
import jwt
from moto.cognitoidp import models
from moto.cognitoidp.exceptions import NotAuthorizedError

from aws_endpoint.cognito.revocations import REVOCATIONS
from sandbox.aws_urls import cognito_issuer

ADMIN_SCOPE = "aws.cognito.signin.user.admin"


def case_sensitive(pool: models.CognitoIdpUserPool) -> bool:
    # The API's default when a pool sets no UsernameConfiguration is case sensitive (CreateUserPool).
    return (pool.extended_config.get("UsernameConfiguration") or {}).get("CaseSensitive", True) is not False


def _get_user_any_case(original):
    def _get_user(self, username: str):
        found = original(self, username)
        if found is None and isinstance(username, str) and not case_sensitive(self):
            lowered = username.lower()
            found = self.users.get(lowered) or next(
                (user for name, user in list(self.users.items()) if name.lower() == lowered), None)
        return found
    return _get_user


@functools.cache
def immutable_settings() -> frozenset[str]:
    """CreateUserPool's parameters that UpdateUserPool does not take (botocore's service model)."""
    model = botocore.session.get_session().get_service_model("cognito-idp")
    members = lambda name: set(model.operation_model(name).input_shape.members)  # noqa: E731
    return frozenset(members("CreateUserPool") - members("UpdateUserPool"))


def _update_keeping_immutable(original):
    def update_user_pool(self, user_pool_id: str, extended_config: dict) -> None:
        pool = self.describe_user_pool(user_pool_id)
        kept = {k: v for k, v in pool.extended_config.items() if k in immutable_settings()}
        original(self, user_pool_id, {**(extended_config or {}), **kept})
    return update_user_pool


def _domain_with_account(original):
    def to_json(self, extended: bool = True):
        body = original(self, extended)
        if extended:
            from aws_endpoint.cognito.pools import find_pool  # noqa: PLC0415 (pools imports moto models)
            try:
                body["AWSAccountId"] = find_pool(self.user_pool_id).account_id
            except Exception:  # noqa: BLE001 (a domain whose pool is gone keeps moto's answer)
                pass
        return body
    return to_json


def hosted_ui_claims(backend, access_token: str) -> tuple[models.CognitoIdpUserPool, dict] | None:
    """The claims of an access token the hosted UI minted for a pool of `backend`, checked as the user pool
    API checks it (signature with the pool's access key, issuer, token_use, expiry, revocation, scope);
    None when the token is not one of those (moto's own tokens go on to moto)."""
    if not isinstance(access_token, str) or access_token.count(".") != 2:
        return None
    try:
        unverified = jwt.decode(access_token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    issuer = str(unverified.get("iss", ""))
    pool_id = issuer.rsplit("/", 1)[-1]
    pool = backend.user_pools.get(pool_id)
    if pool is None or issuer != cognito_issuer(pool_id):
        return None
    from aws_endpoint.cognito.views import store  # noqa: PLC0415 (views imports this module's callers)
    key = store().keys(pool_id)["access"]
    try:
        claims = jwt.decode(access_token, key.private_key.public_key(), algorithms=["RS256"], issuer=issuer,
                            options={"verify_aud": False, "verify_exp": False, "require": ["exp", "iss"]})
    except jwt.PyJWTError:
        raise NotAuthorizedError("Invalid Access Token") from None
    if claims.get("token_use") != "access" or jwt.get_unverified_header(access_token).get("kid") != key.kid:
        raise NotAuthorizedError("Invalid Access Token")
    if REVOCATIONS.session_revoked(claims.get("origin_jti")):
        raise NotAuthorizedError("Access Token has been revoked")
    if not isinstance(claims["exp"], (int, float)) or claims["exp"] < time.time():
        raise NotAuthorizedError("Access Token has expired")
    if ADMIN_SCOPE not in str(claims.get("scope", "")).split():
        raise NotAuthorizedError("Access Token does not have required scopes")
    return pool, claims


def _token_user(backend, access_token: str):
    """(pool, user) of a hosted-UI access token, or None for a token that is not one."""
    found = hosted_ui_claims(backend, access_token)
    if found is None:
        return None
    pool, claims = found
    user = pool._get_user(str(claims.get("username", "")))
    if user is None or user.id != claims.get("sub"):  # moto's user id is its sub
        raise NotAuthorizedError("User does not exist.")
    if not user.enabled:
        raise NotAuthorizedError("User is disabled.")
    return pool, user


def _get_user(original):
    def get_user(self, access_token: str):
        found = _token_user(self, access_token)
        return original(self, access_token) if found is None else found[1]
    return get_user


def _global_sign_out(original):
    def global_sign_out(self, access_token: str) -> None:
        found = _token_user(self, access_token)
        if found is not None:
            pool, user = found
            pool.sign_out(user.username)
            REVOCATIONS.sign_out(pool.id, user.username)
            return None
        username = next((u for p in self.user_pools.values() if access_token in p.access_tokens
                         for _, u in [p.access_tokens[access_token]]), None)
        pool_id = next((p.id for p in self.user_pools.values() if access_token in p.access_tokens), None)
        original(self, access_token)
        if username and pool_id:
            REVOCATIONS.sign_out(pool_id, username)
        return None
    return global_sign_out


def _admin_user_global_sign_out(original):
    def admin_user_global_sign_out(self, user_pool_id: str, username: str) -> None:
        original(self, user_pool_id, username)  # raises for an unknown pool or user
        REVOCATIONS.sign_out(user_pool_id, self.admin_get_user(user_pool_id, username).username)
    return admin_user_global_sign_out


_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    _installed = True
    models.CognitoIdpUserPool._get_user = _get_user_any_case(models.CognitoIdpUserPool._get_user)
    models.CognitoIdpUserPoolDomain.to_json = _domain_with_account(models.CognitoIdpUserPoolDomain.to_json)
    backend = models.CognitoIdpBackend
    backend.update_user_pool = _update_keeping_immutable(backend.update_user_pool)
    backend.get_user = _get_user(backend.get_user)
    backend.global_sign_out = _global_sign_out(backend.global_sign_out)
    backend.admin_user_global_sign_out = _admin_user_global_sign_out(backend.admin_user_global_sign_out)
