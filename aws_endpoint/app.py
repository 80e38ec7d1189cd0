"""The AWS endpoint's WSGI app: this project's extension routes first, everything else to moto."""

from __future__ import annotations

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from aws_endpoint import apigateway, cognito, flow, lambda_runtime


def health(request: Request) -> Response:
    return Response('{"status": "ok", "service": "aws"}', content_type="application/json")


# Every extension path, in one table. Anything that matches none of them is moto's.
EXTENSION_RULES = [
    Rule("/_sandbox/health", endpoint=health),
    *flow.RULES,
    *lambda_runtime.RULES,
    *cognito.RULES,
    *apigateway.RULES,
]


def create_app():
    moto_app = DomainDispatcherApplication(create_backend_app)
    # Copies: a Rule binds to one Map, and create_app may be called more than once per process.
    url_map = Map([rule.empty() for rule in EXTENSION_RULES], strict_slashes=False, merge_slashes=False)

    def app(environ, start_response):
        adapter = url_map.bind_to_environ(environ)
        try:
            endpoint, args = adapter.match()
        except HTTPException:  # not ours (404/405): moto's
            return moto_app(environ, start_response)
        response = endpoint(Request(environ), **args)
        return response(environ, start_response)

    return app
