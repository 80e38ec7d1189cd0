"""Every path of the hosted UI, in one table; each view is `view(ctx, request, **url_args)`."""

from werkzeug.routing import Map, Rule

from hosted_ui import views as v

ROUTES = [
    ("/health", ["GET"], v.health),
    ("/oauth2/authorize", ["GET"], v.authorize),
    ("/login", ["GET"], v.login),
    ("/error", ["GET"], v.error_page),
    ("/oauth2/idpresponse", ["GET", "POST"], v.idpresponse),
    ("/oauth2/token", ["POST"], v.token_endpoint),
    ("/oauth2/userInfo", ["GET", "POST"], v.userinfo_endpoint),
    ("/logout", ["GET"], v.logout_endpoint),
    ("/oauth2/revoke", ["POST"], v.revoke_endpoint),
]


# The endpoints a browser app calls with fetch from its own origin, and the methods each serves: they
# answer cross-origin requests and preflights (sandbox/cors.py); the others are navigations, no CORS.
CROSS_ORIGIN = {"/oauth2/token": "POST", "/oauth2/userInfo": "GET, POST", "/oauth2/revoke": "POST"}


def url_map() -> Map:
    return Map([Rule(path, methods=methods, endpoint=view) for path, methods, view in ROUTES],
               strict_slashes=False, merge_slashes=False)
