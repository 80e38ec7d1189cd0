"""The hosted UI's WSGI app: one route table (urls.py); every error becomes HTTP in responses.py."""

from __future__ import annotations

import logging

from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request, Response

from hosted_ui import persistence, views
from hosted_ui.context import HostedUI
from hosted_ui.errors import AuthorizeRedirect, BearerError, ErrorPage, ErrorRedirect, OAuthError
from hosted_ui.live import StalePool
from hosted_ui.responses import error_response, html, json_response
from hosted_ui.settings import Settings, settings
from hosted_ui.urls import CROSS_ORIGIN, url_map
from sandbox import cors, flowlog
from sandbox.aws_urls import HOSTED_UI_PATHS

log = logging.getLogger("sandbox.cognito")
WIRE_ERRORS = (AuthorizeRedirect, ErrorRedirect, ErrorPage, OAuthError, BearerError)
# The OAuth endpoints a client calls (not a browser's pages): every error of theirs is JSON, HTTP-level
# ones too (a body over the limit, a wrong method), as RFC 6749 §5.2 and RFC 7009 §2.2.1 shape them.
JSON_PATHS = {HOSTED_UI_PATHS[name] for name in ("token", "revoke", "userinfo")}


def serve(ctx: HostedUI, view, request: Request, args: dict):
    """Run the view in a request scope (each read of the pool's configuration made once), its flow events
    sent together at its end. A view that found the domain's remembered pool gone (live.StalePool, raised
    only before the view changed anything) runs once more, in a new scope, with the domain resolved
    afresh; a second StalePool cannot happen (the second run does not use the remembered pool)."""
    with flowlog.gathered():
        try:
            with ctx.live.request_scope():
                return view(ctx, request, **args)
        except StalePool:
            with ctx.live.request_scope():
                return view(ctx, request, **args)


def create_app(cfg: Settings | None = None, ctx: HostedUI | None = None):
    """The WSGI app of one hosted UI; its context is built here (from the environment's settings unless
    `cfg` or a whole `ctx` is given)."""
    own = cfg is None and ctx is None  # the sandbox's own hosted UI keeps its stores across restarts
    ctx = ctx or HostedUI.build(cfg or settings())
    if own:
        ctx.durable = persistence.start(ctx)
        ctx.aws.health_cognito()  # made before it serves (botocore reads Cognito's model: 0.05 s of CPU)
    routes = url_map()

    def app(environ, start_response):
        request = Request(environ)
        request.max_content_length = 1024 * 1024
        request.max_form_memory_size = 1024 * 1024
        cross_origin = CROSS_ORIGIN.get(request.path)
        if cross_origin and request.method == "OPTIONS":  # a browser's preflight, answered before routing
            headers = cors.preflight_headers(cross_origin, request.headers.get("Access-Control-Request-Headers"))
            return Response(status=200, headers=headers)(environ, start_response)
        response = handle(request)
        if cross_origin:
            response.headers.update(cors.ALLOW_ANY_ORIGIN)  # errors too: the page must read them
        return response(environ, start_response)

    def handle(request: Request) -> Response:
        environ = request.environ
        try:
            view, args = routes.bind_to_environ(environ).match()
            try:
                response = serve(ctx, view, request, args)
            finally:  # most requests write a store (a code, a refresh token, a used state)
                if ctx.durable is not None and view is not views.health:
                    ctx.durable.changed()
        except WIRE_ERRORS as exc:
            response = error_response(exc, ctx.settings.page("error"))
        except HTTPException as exc:
            response = json_response({"error": "invalid_request"}, exc.code or 400) \
                if request.path.rstrip("/") in JSON_PATHS else html("error.html", status=exc.code or 400, error=exc.name)
        except Exception:  # a bug: log it, show Cognito's error page (JSON for a client), never a traceback
            log.exception("hosted UI: unhandled error on %s %s", request.method, request.path)
            response = json_response({"error": "server_error"}, 500) if request.path.rstrip("/") in JSON_PATHS \
                else html("error.html", status=500, error="server_error")
        return response

    app.ctx = ctx  # for tests that look inside one instance
    return app
