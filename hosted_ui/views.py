"""Web glue: parse the request, call one protocol function with the context, render what it decided."""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError
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
    """200 while this hosted UI can serve its domain: the domain exists on the AWS endpoint and its user pool
    too (read now, not from the domain cache); 503 and the reason otherwise (e.g. the AWS endpoint restarted
    empty), so compose's health check tells the truth."""
    reason = domain_problem(ctx)
    if reason:
        return json_response({"status": "unavailable", "service": "cognito-hosted-ui", "reason": reason}, 503)
    body = {"status": "ok", "service": "cognito-hosted-ui"}
    if ctx.durable is not None:
        body["state"] = ctx.durable.health()
    return json_response(body)


def domain_problem(ctx) -> str:
    cognito, domain = ctx.aws.health_cognito(), ctx.settings.domain
    try:
        pool = cognito.describe_user_pool_domain(Domain=domain).get("DomainDescription", {}).get("UserPoolId")
        if not pool:
            return f"the user pool domain {domain} does not exist"
        cognito.describe_user_pool(UserPoolId=pool)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        return f"the user pool of domain {domain}: {error.get('Code')}: {error.get('Message')}"
    except BotoCoreError as exc:
        return f"the AWS endpoint did not answer: {exc}"
    return ""


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
