"""Wire formats: JSON, redirects, pages, and every error turned into HTTP in this one place."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from werkzeug.wrappers import Response

from mock_idp.errors import ApiError, AuthorizeRedirect, BearerError, ErrorPage, OAuthError
from sandbox.query import add_query

templates = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                        autoescape=select_autoescape(default=True, default_for_string=True))
# RFC 6749 §5.1: token responses must not be cached.
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def json_response(body, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json.dumps(body), status=status, headers=headers or {},
                    content_type="application/json;charset=UTF-8")


def redirect(location: str, headers: dict | None = None) -> Response:
    response = Response("", status=302, headers=headers or {})
    response.headers["Location"] = location
    return response


# Chromium applies form-action to the redirects after a submit too: the sign-in's 302 to a client's
# redirect URI on another localhost port must pass.
PAGE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http://localhost:* "
            "http://127.0.0.1:*; frame-ancestors 'none'")


def page(template: str, status: int = 200, csp: str = PAGE_CSP, **context) -> Response:
    html = templates.get_template(template).render(**context)
    return Response(html, status=status, content_type="text/html; charset=utf-8",
                    headers={"Cache-Control": "no-store", "Pragma": "no-cache", "X-Frame-Options": "DENY",
                             "Content-Security-Policy": csp})


def authorization_response(redirect_uri: str, params: dict, mode: str = "query") -> Response:
    """The authorization response (RFC 6749 §4.1.2) in the client's response_mode.

    query: 302 with the parameters in the query (keeping the URI's own query); fragment: 302 with them in
    the fragment (OAuth 2.0 Multiple Response Type Encoding Practices §2.1); form_post: a 200 page whose
    form posts them to the redirect URI (OAuth 2.0 Form Post Response Mode §2: method POST, action the
    redirect URI, not cached)."""
    params = {k: v for k, v in params.items() if v is not None}
    if mode == "fragment":
        return redirect(redirect_uri + "#" + urlencode(params))
    if mode == "form_post":
        nonce = secrets.token_urlsafe(16)
        target = urlsplit(redirect_uri)
        csp = (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; "
               f"form-action {target.scheme}://{target.netloc}; frame-ancestors 'none'")
        return page("form_post.html", csp=csp, action=redirect_uri, params=params, nonce=nonce)
    return redirect(add_query(redirect_uri, params))


def _bearer_header(error: str, description: str, issuer: str) -> str:
    # Okta's userinfo challenge: realm and authorization_uri first, then the RFC 6750 §3 error.
    return (f'Bearer authorization_uri="{issuer}/v1/authorize", realm="{issuer}", scope="openid", '
            f'error="{error}", error_description="{description}", resource="{urlsplit(issuer).path}/v1/userinfo"')


def error_response(exc: Exception, issuer: str) -> Response:
    """The one place errors become HTTP."""
    if isinstance(exc, AuthorizeRedirect):
        return authorization_response(exc.redirect_uri, {"error": exc.cause.error,
                                                         "error_description": exc.cause.description,
                                                         "state": exc.state}, exc.response_mode)
    if isinstance(exc, ErrorPage):
        return page("error.html", status=exc.status, error=exc.cause.error, description=exc.cause.description,
                    heading="403 Forbidden" if exc.status == 403 else "400 Bad Request")
    if isinstance(exc, OAuthError):
        headers = dict(NO_STORE)
        if exc.status == 401:
            # RFC 6749 §5.2: a 401 for client authentication carries WWW-Authenticate.
            headers["WWW-Authenticate"] = f'Basic realm="{issuer}"'
        return json_response({"error": exc.error, "error_description": exc.description}, exc.status, headers)
    if isinstance(exc, BearerError):
        return Response("", status=exc.status,
                        headers={"WWW-Authenticate": _bearer_header(exc.error, exc.description, issuer),
                                 **NO_STORE})
    if isinstance(exc, ApiError):
        return json_response(api_error_body(exc.code, exc.summary, exc.causes), exc.status)
    raise TypeError(f"not a wire error: {exc!r}")


def api_error_body(code: str, summary: str, causes: list[str] = ()) -> dict:
    return {"errorCode": code, "errorSummary": summary, "errorLink": code,
            "errorId": "oae" + secrets.token_urlsafe(16), "errorCauses": [{"errorSummary": c} for c in causes]}
