"""/logout: end Cognito's session, then go to a registered logout_uri or sign in again (logout docs)."""

from __future__ import annotations

from urllib.parse import urlencode

from hosted_ui import session
from hosted_ui.authorize import validate
from hosted_ui.authorize.request import AuthorizeRequest
from hosted_ui.errors import ErrorPage, ErrorRedirect, unknown_client
from hosted_ui.outcomes import Redirect


def logout(ctx, args) -> Redirect:
    pool_id = ctx.live.pool_id()
    # A parameter sent twice names no one client or URL (RFC 6749 §3.1): as unknown, never either one.
    repeated = [name for name in ("client_id", "logout_uri") if len(args.getlist(name)) > 1]
    client = None if "client_id" in repeated else ctx.live.app_client(pool_id, args.get("client_id", ""))
    if client is None:
        raise unknown_client(args.get("client_id", ""))
    logout_uri = args.get("logout_uri")
    if logout_uri:
        # Exact match with one of the client's sign-out URLs, or no redirect at all.
        if "logout_uri" in repeated or logout_uri not in (client.get("LogoutURLs") or []):
            # A capture shows /error?client_id=<id>&logout_uri=<uri>, with no `error` (errors.py).
            raise ErrorRedirect(client_id=client["ClientId"], logout_uri=logout_uri)
        return Redirect(logout_uri, clear_cookies=[session.COOKIE])
    if args.get("redirect_uri"):
        request = AuthorizeRequest.from_args(args)
        validate(ctx, request, pool_id)
        return Redirect(f"{ctx.settings.page('login')}?{urlencode(request.params())}", clear_cookies=[session.COOKIE])
    raise ErrorPage("Required String parameter 'logout_uri' is not present")
