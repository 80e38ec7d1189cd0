"""The one place the hosted UI's errors become HTTP; and the small response helpers."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from werkzeug.wrappers import Response

from hosted_ui.errors import AuthorizeRedirect, BearerError, ErrorPage, ErrorRedirect, OAuthError
from sandbox.query import add_fragment, add_query

TEMPLATES = Environment(loader=PackageLoader("hosted_ui", "templates"), autoescape=select_autoescape(default=True))
# What Cognito's domain sends on every answer (a capture of /oauth2/token and /login answers, the
# userInfo docs' sample response).
NO_STORE = {"Cache-Control": "no-cache, no-store, max-age=0, must-revalidate", "Pragma": "no-cache",
            "Expires": "0"}


def json_response(body, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json;charset=UTF-8",
                    headers={**NO_STORE, **(headers or {})})


# The pages have inline style, links and nothing else: no script, no form, no framing (clickjacking),
# as the mock Okta's pages (mock_idp/responses.py).
PAGE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'")
PAGE_HEADERS = {**NO_STORE, "X-Frame-Options": "DENY", "Content-Security-Policy": PAGE_CSP,
                "X-Content-Type-Options": "nosniff"}


def html(template: str, status: int = 200, **context) -> Response:
    return Response(TEMPLATES.get_template(template).render(**context), status=status,
                    content_type="text/html; charset=utf-8", headers=PAGE_HEADERS)


def error_response(exc: Exception, error_page_url: str) -> Response:
    """`exc` as HTTP; `error_page_url` is the domain's own /error page."""
    if isinstance(exc, AuthorizeRedirect):
        params = {"error_description": exc.error.description or None, "state": exc.state, "error": exc.error.error}
        location = (add_fragment if exc.fragment else add_query)(exc.redirect_uri, params)
        return Response(status=302, headers={"Location": location, **NO_STORE})
    if isinstance(exc, ErrorRedirect):
        return Response(status=302, headers={"Location": f"{error_page_url}?{urlencode(exc.params)}",
                                             **NO_STORE})
    if isinstance(exc, ErrorPage):
        # Cognito's page for errors it cannot redirect (redirect_mismatch, unknown client...).
        return html("error.html", status=exc.status, error=exc.error)
    if isinstance(exc, BearerError):
        # userinfo-endpoint docs: the two fixed descriptions (the reason is in the log only).
        challenge = f'Bearer error="{exc.error}", error_description="{exc.description}"'
        return json_response({"error": exc.error, "error_description": exc.description}, exc.status,
                             {"WWW-Authenticate": challenge})
    if isinstance(exc, OAuthError):
        # Cognito's token endpoint: 400 {"error": ...} (token-endpoint docs list only the code).
        return json_response({"error": exc.error}, exc.status)
    raise exc
