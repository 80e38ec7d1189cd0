"""Web glue: parse the request, call one protocol function with the context, render what it decided."""

from __future__ import annotations

from werkzeug.wrappers import Request, Response

from hosted_ui import idp_response, logout, revoke, signin, token, userinfo
from hosted_ui.errors import InvalidRequest
from hosted_ui.outcomes import Redirect
from hosted_ui.responses import NO_STORE, html, json_response


def _redirect(outcome: Redirect) -> Response:
    response = Response(status=302, headers={"Location": outcome.location, **NO_STORE})
    for name, value, options in outcome.set_cookies:
        response.set_cookie(name, value, **options)
    for name in outcome.clear_cookies:
        response.delete_cookie(name, path="/")
    return response


def health(ctx, request: Request) -> Response:
    return json_response({"status": "ok", "service": "cognito-hosted-ui"})


def authorize(ctx, request: Request) -> Response:
    return _redirect(signin.authorize(ctx, request.args, request.cookies))


def login(ctx, request: Request) -> Response:
    return html("login.html", providers=signin.login_page(ctx, request.args).providers)


def error_page(ctx, request: Request) -> Response:
    """Cognito's /error page: what the query's `error` says; 400, as captures of it show."""
    return html("error.html", status=400, error=request.args.get("error", ""))


def idpresponse(ctx, request: Request) -> Response:
    return _redirect(idp_response.idp_response(ctx, request.args, request.cookies))


def _form(request: Request):
    if request.mimetype != "application/x-www-form-urlencoded":
        raise InvalidRequest("The body must be application/x-www-form-urlencoded")
    for name in request.form:  # RFC 6749 §3.1: a parameter must not be included more than once
        if len(request.form.getlist(name)) > 1:
            raise InvalidRequest(f"The '{name}' parameter was included more than once.")
    return request.form


def token_endpoint(ctx, request: Request) -> Response:
    return json_response(token.token(ctx, _form(request), request.headers.get("Authorization")))


def userinfo_endpoint(ctx, request: Request) -> Response:
    return json_response(userinfo.userinfo(ctx, request.headers.get("Authorization")))


def logout_endpoint(ctx, request: Request) -> Response:
    return _redirect(logout.logout(ctx, request.args))


def revoke_endpoint(ctx, request: Request) -> Response:
    revoke.revoke(ctx, _form(request), request.headers.get("Authorization"))
    return Response(status=200, headers=NO_STORE)
