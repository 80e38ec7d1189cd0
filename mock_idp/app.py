"""The mock Okta's WSGI app: one route table (urls.py), every error turned into HTTP in responses.py."""

from __future__ import annotations

import logging

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.wrappers import Request, Response

from mock_idp import persistence
from mock_idp.errors import ApiError, ApiMethodNotAllowed, AuthorizeRedirect, BearerError, ErrorPage, OAuthError
from mock_idp.provider import Provider
from mock_idp.responses import api_error_body, error_response, json_response
from mock_idp.settings import Settings, settings
from mock_idp.urls import paths, url_map
from mock_idp.views import health_view
from sandbox.config import seed

log = logging.getLogger("sandbox.okta")
WIRE_ERRORS = (AuthorizeRedirect, ErrorPage, OAuthError, BearerError, ApiError)


def create_app(cfg: Settings | None = None, provider: Provider | None = None, okta_seed: dict | None = None):
    """Build the WSGI app of one mock Okta (its settings from the environment unless `cfg` is given, its
    users and clients from the seed's `okta` unless `okta_seed` is); keys are loaded (or created) once, here.
    The sandbox's own one (all from the environment) keeps its state across restarts."""
    own = cfg is None and provider is None and okta_seed is None
    cfg = provider.cfg if provider else (cfg or settings())
    provider = provider or Provider.build(cfg, okta_seed or seed()["okta"])
    if own:
        provider.durable = persistence.start(provider)
    provider.paths = paths(cfg.issuer)
    routes = url_map(cfg.issuer)

    def app(environ, start_response):
        request = Request(environ)
        # Bound the size of what anyone can post (sign-in forms, token requests, user JSON).
        request.max_content_length = 1024 * 1024
        request.max_form_memory_size = 1024 * 1024
        try:
            view, args = routes.bind_to_environ(environ).match()
            try:
                response = view(provider, request, **args)
            finally:  # nearly every request writes something (a pending sign-in, a session, a code...)
                if provider.durable is not None and view is not health_view:
                    provider.durable.changed()
        except WIRE_ERRORS as exc:
            response = error_response(exc, cfg.issuer)
        except HTTPException as exc:
            response = _http_error(exc, request)
        except Exception:  # a bug: log it, never show a traceback
            log.exception("mock Okta: unhandled error on %s %s", request.method, request.path)
            response = json_response(api_error_body("E0000009", "Internal Server Error"), 500)
        return response(environ, start_response)

    app.provider = provider  # for tests that look inside one instance
    return app


def _http_error(exc: HTTPException, request: Request) -> Response:
    """Routing and parsing errors in Okta's JSON shape (Okta answers unknown paths with E0000022/404)."""
    if isinstance(exc, MethodNotAllowed):
        return error_response(ApiMethodNotAllowed(), "")
    if isinstance(exc, NotFound):
        return json_response(api_error_body("E0000007", f"Not found: Resource not found: {request.path}"), 404)
    return json_response(api_error_body("E0000003", "The request body was not well-formed."), exc.code or 400)
