"""The hosted UI's WSGI app: one route table (urls.py); every error becomes HTTP in responses.py.

Each request runs in its own `live.request_scope()` (a read of the pool's configuration is made once per
request); a request that found the remembered pool gone is served once more (live.StalePool)."""

from __future__ import annotations

import logging

from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request

from hosted_ui import live
from hosted_ui.errors import AuthorizeRedirect, BearerError, ErrorPage, ErrorRedirect, OAuthError
from hosted_ui.responses import error_response, html, json_response
from hosted_ui.urls import url_map

log = logging.getLogger("sandbox.cognito")
WIRE_ERRORS = (AuthorizeRedirect, ErrorRedirect, ErrorPage, OAuthError, BearerError)


def create_app():
    routes = url_map()

    def app(environ, start_response):
        request = Request(environ)
        request.max_content_length = 1024 * 1024
        request.max_form_memory_size = 1024 * 1024
        try:
            view, args = routes.bind_to_environ(environ).match()
            try:
                with live.request_scope():
                    response = view(request, **args)
            except live.StalePool:
                with live.request_scope():
                    response = view(request, **args)
        except WIRE_ERRORS as exc:
            response = error_response(exc)
        except HTTPException as exc:
            response = json_response({"error": "invalid_request"}, exc.code or 400) \
                if request.path.startswith("/oauth2/token") else html("error.html", status=exc.code or 400,
                                                                      error=exc.name)
        except Exception:  # a bug: log it, show Cognito's error page, never a traceback
            log.exception("hosted UI: unhandled error on %s %s", request.method, request.path)
            response = html("error.html", status=500, error="server_error")
        return response(environ, start_response)

    return app
