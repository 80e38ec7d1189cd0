"""Wire format of the Cognito extension routes: parse the request, call one function, answer.

The internal `/_sandbox/cognito-idp/...` POST calls (sign, sign-tokens, federated-users) are
unauthenticated, local-only sandbox calls: real AWS has no such endpoints, and anything that can reach
the AWS endpoint can mint tokens with them. They take `Content-Type: application/json` only (415
otherwise): a cross-site HTML form can send only urlencoded, multipart or text/plain bodies, so a web
page the developer visits cannot post to them even where the browser sends no Origin header (requests
that do carry a foreign Origin are already refused by app.py's cross_site_refusal)."""

from __future__ import annotations

import re
from functools import wraps

from werkzeug.wrappers import Request, Response

from aws_endpoint.cognito import discovery
from aws_endpoint.cognito.changes import CHANGES
from aws_endpoint.cognito.errors import (CognitoError, InvalidParameter, ResourceNotFound, UnsupportedMediaType,
                                         json_response, to_response)
from aws_endpoint.cognito.federated_users import create_federated_user, user_json
from aws_endpoint.cognito.keys import KeyStore
from aws_endpoint.cognito.pools import find_pool
from aws_endpoint.cognito.revocations import REVOCATIONS
from aws_endpoint.cognito.signing import sign, sign_set
from sandbox import cors, json_body
from sandbox.config import settings

# The AWS API's UserPoolId pattern.
POOL_ID = re.compile(r"^[\w-]+_[0-9a-zA-Z]+$")
_store: KeyStore | None = None


def store() -> KeyStore:
    global _store
    if _store is None:
        _store = KeyStore(settings().state_dir / "cognito")
    return _store


def _pool(pool_id: str):
    if not POOL_ID.match(pool_id):
        raise ResourceNotFound(f"User pool {pool_id} does not exist.")
    return find_pool(pool_id)


def _json_body(request: Request) -> dict:
    data = request.get_data()
    # No body and no content type is an empty call ({}); a form always sends a content type.
    if request.mimetype != "application/json" and (request.mimetype or data):
        raise UnsupportedMediaType("the body must be application/json")
    try:
        body = json_body.parse(data, empty={})
    except json_body.BadJSON as exc:
        raise InvalidParameter(f"the body must be JSON: {exc}") from None
    if not isinstance(body, dict):
        raise InvalidParameter("the body must be a JSON object")
    return body


def answers_errors(view):
    @wraps(view)
    def wrapper(request: Request, **args) -> Response:
        try:
            return view(request, **args)
        except CognitoError as error:
            return to_response(error)
    return wrapper


def browser_readable(view):
    """The issuer's public documents, readable by any web page (sandbox/cors.py): every answer carries
    Access-Control-Allow-Origin, and a preflight is answered without touching the pool."""
    @wraps(view)
    def wrapper(request: Request, **args) -> Response:
        if request.method == "OPTIONS":
            return Response(status=200, headers=cors.preflight_headers(
                "GET", request.headers.get("Access-Control-Request-Headers")))
        response = answers_errors(view)(request, **args)
        response.headers.update(cors.ALLOW_ANY_ORIGIN)
        return response
    return wrapper


@browser_readable
def jwks(request: Request, pool_id: str) -> Response:
    _pool(pool_id)
    return json_response(store().jwks(pool_id))


@browser_readable
def openid_configuration(request: Request, pool_id: str) -> Response:
    pool = _pool(pool_id)
    return json_response(discovery.openid_configuration(pool_id, has_domain=bool(pool.domain)))


@answers_errors
def sign_token(request: Request, pool_id: str) -> Response:
    _pool(pool_id)
    body = _json_body(request)
    return json_response({"token": sign(store(), pool_id, body.get("token_use"), body.get("claims"))})


@answers_errors
def sign_tokens(request: Request, pool_id: str) -> Response:
    _pool(pool_id)
    body = _json_body(request)
    tokens = sign_set(store(), pool_id, body.get("access"), body.get("id"))
    REVOCATIONS.register(pool_id, body["access"])  # its session, for a global sign-out (revocations.py)
    return json_response({"tokens": tokens})


@answers_errors
def federated_users(request: Request, pool_id: str) -> Response:
    pool = _pool(pool_id)
    try:
        user = create_federated_user(pool, _json_body(request))
    finally:
        CHANGES.bump(pool_id, "users")
    return json_response({"User": user_json(user)}, status=201)


def changes(request: Request, pool_id: str) -> Response:
    """The pool's change counters (changes.py): a reader keeps what it read while they stay the same."""
    return json_response(CHANGES.versions(pool_id))


def _text(body: dict, name: str, required: bool = True) -> str | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise InvalidParameter(f"{name} must be a non-empty string")
    return value


@answers_errors
def revoke_session(request: Request, pool_id: str) -> Response:
    """/oauth2/revoke's effect: the session's refresh token and access tokens are revoked."""
    _pool(pool_id)
    REVOCATIONS.revoke_session(_text(_json_body(request), "origin_jti"))
    return json_response({})


@answers_errors
def token_status(request: Request, pool_id: str) -> Response:
    """{"revoked": bool} for a session's token: `issued_at` (epoch seconds) present for a refresh token,
    absent for an access token (revocations.py says what each revokes)."""
    _pool(pool_id)
    body = _json_body(request)
    origin_jti, username = _text(body, "origin_jti", required=False), _text(body, "username")
    issued_at = body.get("issued_at")
    if issued_at is None:
        return json_response({"revoked": REVOCATIONS.session_revoked(origin_jti)})
    if not isinstance(issued_at, (int, float)) or isinstance(issued_at, bool):
        raise InvalidParameter("issued_at must be a number")
    return json_response({"revoked": REVOCATIONS.refresh_revoked(pool_id, username, origin_jti, issued_at)})
