"""/logout: end Cognito's session, then go to a registered logout_uri or sign in again (logout docs)."""

from __future__ import annotations

from urllib.parse import urlencode

from hosted_ui import live, session
from hosted_ui.authorize import validate
from hosted_ui.authorize.request import AuthorizeRequest
from hosted_ui.errors import ErrorPage
from hosted_ui.outcomes import Redirect
from hosted_ui.settings import settings


def logout(args) -> Redirect:
    pool_id = live.pool_id()
    client = live.app_client(pool_id, args.get("client_id", ""))
    if client is None:
        raise ErrorPage("Client does not exist")
    logout_uri = args.get("logout_uri")
    if logout_uri:
        # Exact match with one of the client's sign-out URLs, or no redirect at all.
        if logout_uri not in (client.get("LogoutURLs") or []):
            raise ErrorPage("redirect_mismatch")
        return Redirect(logout_uri, clear_cookies=[session.COOKIE])
    if args.get("redirect_uri"):
        request = AuthorizeRequest.from_args(args)
        validate(request, pool_id)
        return Redirect(f"{settings().url}/login?{urlencode(request.params())}", clear_cookies=[session.COOKIE])
    raise ErrorPage("Required String parameter 'logout_uri' is not present")
