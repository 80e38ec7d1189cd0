"""Every path of the hosted UI, in one table; each view is `view(ctx, request, **url_args)`. The paths are
Cognito's (sandbox/aws_urls.py), which the issuer's discovery document names too."""

from werkzeug.routing import Map, Rule

from hosted_ui import views as v
from sandbox.aws_urls import HOSTED_UI_PATHS as P

ROUTES = [
    ("/health", ["GET"], v.health),
    (P["authorize"], ["GET"], v.authorize),
    (P["login"], ["GET"], v.login),
    (P["error"], ["GET"], v.error_page),
    (P["idpresponse"], ["GET", "POST"], v.idpresponse),
    (P["token"], ["POST"], v.token_endpoint),
    (P["userinfo"], ["GET", "POST"], v.userinfo_endpoint),
    (P["logout"], ["GET"], v.logout_endpoint),
    (P["revoke"], ["POST"], v.revoke_endpoint),
]


# The endpoints a browser app calls with fetch from its own origin, and the methods each serves: they
# answer cross-origin requests and preflights (sandbox/cors.py); the others are navigations, no CORS.
CROSS_ORIGIN = {P["token"]: "POST", P["userinfo"]: "GET, POST", P["revoke"]: "POST"}


def url_map() -> Map:
    return Map([Rule(path, methods=methods, endpoint=view) for path, methods, view in ROUTES],
               strict_slashes=False, merge_slashes=False)
