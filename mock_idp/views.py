"""Web glue: each view parses the request, calls one protocol function, and renders its result."""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlsplit

from werkzeug.wrappers import Request, Response

from mock_idp import authorize, client_auth, discovery, introspection, logout, scenarios, signin, userinfo, users_api
from mock_idp.errors import (AccessDenied, ErrorPage, InvalidRequest, MalformedBody, OAuthError, ServerError,
                             UnauthorizedClient, UnsupportedGrantType)
from mock_idp.grants import HANDLERS
from mock_idp.responses import NO_STORE, authorization_response, json_response, page, redirect
from sandbox import json_body

SESSION_COOKIE = "okta_sid"  # every cookie of the mock Okta starts with okta_ (parts share localhost)
# Login CSRF: the sign-in form's key is only good with the cookie of the browser that loaded the form.
XSRF_COOKIE = "okta_xsrf"
XSRF_VALUE = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)
EXPIRED_PAGE = "The sign-in page has expired. Go back to the application and sign in again."
FOREIGN_POST = ("The sign-in form was not submitted from the page Okta showed in this browser. Go back to the "
                "application and sign in again.")


def _signin_page(provider, key: str, status: int = 200, error: str | None = None, username: str = "") -> Response:
    pending = provider.state.signin_pages.get(key, provider.clock())
    client = provider.state.directory.clients.get(pending.request.client_id) if pending else None
    return page("signin.html", status=status, key=key, error=error, username=username,
                app_name=client.name if client else "", action=provider.paths["signin"])


def _set_session(response: Response, provider, sid: str) -> None:
    response.set_cookie(SESSION_COOKIE, sid, max_age=provider.cfg.session_ttl, path="/", httponly=True,
                        samesite="Lax")


def _record(flow: str | None, summary: str, step: str, detail: dict | None = None) -> None:
    try:
        from sandbox import flowlog  # noqa: PLC0415 (the flow page is optional: the mock runs alone too)
    except ImportError:
        return
    flowlog.record(flow, "okta", "cognito", summary, step=step, detail=detail)


# --- /v1/authorize and the sign-in form -------------------------------------------------------------

def authorize_view(provider, request: Request) -> Response:
    now = provider.clock()
    req = authorize.validate(request.args, provider.state.directory, provider.cfg)
    # One okta_xsrf value per browser, kept while it is well formed, so two tabs' forms both stay usable.
    xsrf = request.cookies.get(XSRF_COOKIE, "")
    if not XSRF_VALUE.match(xsrf):
        xsrf = secrets.token_urlsafe(32)
    reply, key = signin.begin(req, provider, request.cookies.get(SESSION_COOKIE), now, xsrf)
    if reply:
        _record(req.state, "Okta session reused: code issued to the client", "c")
        return authorization_response(reply.redirect_uri, reply.params, reply.response_mode)
    response = _signin_page(provider, key, username=req.login_hint or "")
    # HttpOnly, SameSite=Lax: sent with the form's same-site POST, never readable by script.
    response.set_cookie(XSRF_COOKIE, xsrf, path="/", httponly=True, samesite="Lax")
    return response


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _cross_site(provider, request: Request) -> bool:
    """A form post another site made the browser send (Fetch Metadata, or an Origin that is not Okta's)."""
    if request.headers.get("Sec-Fetch-Site", "").lower() == "cross-site":
        return True
    origin = request.headers.get("Origin")
    # The configured org URL, or the origin this request was addressed to (same-origin by definition).
    return origin is not None and origin.lower() not in (_origin(provider.cfg.org_url), _origin(request.host_url))


def signin_view(provider, request: Request) -> Response:
    # A login CSRF refusal is 403 (the request is well formed; it is refused because of where it came
    # from, as Django refuses a CSRF failure), shown on the error page; nothing is issued or consumed.
    now = provider.clock()
    if _cross_site(provider, request):
        raise ErrorPage(AccessDenied(FOREIGN_POST), status=403)
    key = request.form.get("key", "")
    pending = provider.state.signin_pages.get(key, now)
    if pending is None:
        raise ErrorPage(InvalidRequest(EXPIRED_PAGE))
    if not signin.xsrf_matches(pending, request.cookies.get(XSRF_COOKIE)):
        raise ErrorPage(AccessDenied(FOREIGN_POST), status=403)
    username, password = request.form.get("username", ""), request.form.get("password", "")
    user = signin.check_password(provider, username, password) if username and password else None
    if user is None:
        # Okta gives one message for every failure, so logins cannot be probed; nothing is issued.
        return _signin_page(provider, key, status=401, error="Unable to sign in", username=username)
    pending = provider.state.signin_pages.pop(key, now)
    if pending is None:  # a double submit raced us
        raise ErrorPage(InvalidRequest(EXPIRED_PAGE))
    # A refused sign-in (access_denied scenario) raises here and leaves no session and no code behind.
    reply = signin.complete(pending.request, user, int(now), provider, now)
    sid, _ = signin.start_session(provider, user, now)
    _record(pending.request.state, f"{user.login} signed in at Okta: code issued to the client", "c",
            {"user": user.id, "scopes": list(pending.request.scopes)})
    response = authorization_response(reply.redirect_uri, reply.params, reply.response_mode)
    _set_session(response, provider, sid)
    return response


# --- back channel ---------------------------------------------------------------------------------

class ServerErrorWithStatus(ServerError):
    """A scenario's forced failure (any 4xx/5xx status the test asked for)."""

    def __init__(self, status: int):
        super().__init__("The server encountered an internal error (sandbox scenario).")
        self.status = status
        if status == 503:
            self.error, self.description = "temporarily_unavailable", "The service is temporarily unavailable."


def _scenario_failure(provider, key: str) -> None:
    """Apply the endpoint's scenario: wait out its delay, then fail with its status, if any."""
    status = provider.scenarios.apply(key)
    if status is not None:
        raise ServerErrorWithStatus(status)


def _form(request: Request):
    if request.mimetype != "application/x-www-form-urlencoded" and (request.content_length or 0) > 0:
        # RFC 6749 §3.2: the token endpoint takes application/x-www-form-urlencoded.
        raise InvalidRequest("Content-Type must be 'application/x-www-form-urlencoded'.")
    for name in request.form:
        if len(request.form.getlist(name)) > 1:
            raise InvalidRequest(f"The '{name}' parameter was included more than once.")
    return request.form


def token_view(provider, request: Request) -> Response:
    _scenario_failure(provider, "token_endpoint")
    form = _form(request)
    client = client_auth.authenticate(form, request.headers.get("Authorization"), provider.state.directory)
    grant_type = form.get("grant_type")
    if not grant_type:
        raise InvalidRequest("The 'grant_type' parameter is missing.")
    handler = HANDLERS.get(grant_type)
    if handler is None:
        raise UnsupportedGrantType("The authorization grant type is not supported by the authorization server.")
    if grant_type not in client.grant_types:
        raise UnauthorizedClient("The client is not authorized to use the provided grant type. Configured grant "
                                 f"types: [{', '.join(client.grant_types)}].")
    body = handler(form, client, provider, provider.clock())
    _record(request.headers.get("X-Sandbox-Flow"), f"Okta token endpoint: {grant_type} → tokens", "d",
            {"client_id": client.client_id, "scope": body.get("scope")})
    return json_response(body, headers=NO_STORE)


def userinfo_view(provider, request: Request) -> Response:
    _scenario_failure(provider, "userinfo")
    auth = request.headers.get("Authorization", "")
    token = auth[7:].strip() if auth[:7].lower() == "bearer " else None
    if token is None and request.method == "POST" and request.mimetype == "application/x-www-form-urlencoded":
        token = request.form.get("access_token")  # RFC 6750 §2.2
    return json_response(userinfo.claims(token, provider, provider.clock()), headers=NO_STORE)


def introspect_view(provider, request: Request) -> Response:
    form = _form(request)
    client = client_auth.authenticate(form, request.headers.get("Authorization"), provider.state.directory)
    return json_response(introspection.introspect(form, client, provider, provider.clock()), headers=NO_STORE)


def revoke_view(provider, request: Request) -> Response:
    form = _form(request)
    client = client_auth.authenticate(form, request.headers.get("Authorization"), provider.state.directory)
    introspection.revoke(form, client, provider, provider.clock())
    return Response("", status=200, headers=NO_STORE)


def keys_view(provider, request: Request) -> Response:
    _scenario_failure(provider, "jwks")
    # Okta lets verifiers cache the JWKS; rotated keys stay listed through the grace period.
    return json_response(provider.keys.jwks(provider.clock()), headers={"Cache-Control": "max-age=300"})


def openid_configuration_view(provider, request: Request) -> Response:
    return json_response(discovery.metadata(provider.cfg, oidc=True))


def oauth_server_metadata_view(provider, request: Request) -> Response:
    return json_response(discovery.metadata(provider.cfg, oidc=False))


def logout_view(provider, request: Request) -> Response:
    try:
        location = logout.end_session(request.args, provider, request.cookies.get(SESSION_COOKIE), provider.clock())
    except OAuthError as exc:
        raise ErrorPage(exc) from None
    response = redirect(location) if location else page("signed_out.html")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def health_view(provider, request: Request) -> Response:
    body = {"status": "ok", "service": "okta", "issuer": provider.cfg.issuer}
    if provider.durable is not None:
        body["state"] = provider.durable.health()
    return json_response(body)


# --- Users API and the sandbox's admin URLs (SSWS token) ------------------------------------------

def _json_body(request: Request):
    try:
        return json_body.parse(request.get_data(cache=False))
    except json_body.BadJSON:  # deep nesting too: Okta's E0000003, not a RecursionError
        raise MalformedBody() from None


def _admin(provider, request: Request) -> None:
    users_api.check_api_token(request.headers.get("Authorization"), provider.cfg)


def create_user_view(provider, request: Request) -> Response:
    _admin(provider, request)
    activate = request.args.get("activate", "true").lower() != "false"
    user = users_api.create(_json_body(request), activate, provider, provider.clock())
    return json_response(users_api.user_json(user, provider.cfg))


def get_user_view(provider, request: Request, user_id: str) -> Response:
    _admin(provider, request)
    return json_response(users_api.user_json(users_api.get(user_id, provider), provider.cfg))


def deactivate_user_view(provider, request: Request, user_id: str) -> Response:
    _admin(provider, request)
    users_api.deactivate(user_id, provider, provider.clock())
    return json_response({})


def scenarios_view(provider, request: Request) -> Response:
    _admin(provider, request)
    if request.method == "POST":
        return json_response(provider.scenarios.merge(scenarios.validate(_json_body(request))))
    if request.method == "DELETE":
        provider.scenarios.clear()
        return json_response({})
    return json_response(provider.scenarios.snapshot())


def rotate_keys_view(provider, request: Request) -> Response:
    _admin(provider, request)
    now = provider.clock()
    fresh = provider.keys.rotate(now)
    return json_response({"kid": fresh.kid, "published": [k.kid for k in provider.keys.published(now)]})
