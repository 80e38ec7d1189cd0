"""Every path of the mock Okta, in one table. OAuth endpoints live under the issuer's path
(`/oauth2/default`), as on Okta's custom authorization server `default`."""

from __future__ import annotations

from urllib.parse import urlsplit

from werkzeug.routing import Map, Rule

from mock_idp import views as v


def table(issuer: str) -> list[tuple[str, tuple[str, ...], object]]:
    base = urlsplit(issuer).path.rstrip("/")
    return [
        (f"{base}/.well-known/openid-configuration", ("GET",), v.openid_configuration_view),
        (f"{base}/.well-known/oauth-authorization-server", ("GET",), v.oauth_server_metadata_view),
        (f"{base}/v1/authorize", ("GET",), v.authorize_view),
        (f"{base}/v1/token", ("POST",), v.token_view),
        (f"{base}/v1/keys", ("GET",), v.keys_view),
        (f"{base}/v1/userinfo", ("GET", "POST"), v.userinfo_view),
        (f"{base}/v1/logout", ("GET",), v.logout_view),
        (f"{base}/v1/introspect", ("POST",), v.introspect_view),
        (f"{base}/v1/revoke", ("POST",), v.revoke_view),
        # The sign-in form's target (Okta's own widget posts to its authn API; this is the sandbox's form).
        ("/login/signin", ("POST",), v.signin_view),
        ("/api/v1/users", ("POST",), v.create_user_view),
        ("/api/v1/users/<path:user_id>/lifecycle/deactivate", ("POST",), v.deactivate_user_view),
        ("/api/v1/users/<path:user_id>", ("GET",), v.get_user_view),
        ("/_sandbox/scenarios", ("GET", "POST", "DELETE"), v.scenarios_view),
        ("/_sandbox/keys/rotate", ("POST",), v.rotate_keys_view),
        ("/health", ("GET",), v.health_view),
    ]


def url_map(issuer: str) -> Map:
    return Map([Rule(path, methods=list(methods), endpoint=view) for path, methods, view in table(issuer)],
               strict_slashes=False, merge_slashes=False)


def paths(issuer: str) -> dict[str, str]:
    return {view.__name__.removesuffix("_view"): path for path, _, view in table(issuer)}
