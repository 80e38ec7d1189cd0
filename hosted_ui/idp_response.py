"""/oauth2/idpresponse (seed steps c, d, l, m, e): the IdP's code back to a user and a code for the client."""

from __future__ import annotations

import logging

from hosted_ui import live, session, users
from hosted_ui.authorize import validate
from hosted_ui.authorize.request import AuthorizeRequest
from hosted_ui.errors import AuthorizeRedirect, InvalidRequest, OAuthError, ServerError
from hosted_ui.federation import attributes as attrs
from hosted_ui.federation import state as fed_state
from hosted_ui.outcomes import Redirect
from hosted_ui.signin import issue_code, provider_type

log = logging.getLogger("sandbox.cognito")


def idp_response(ctx, args, cookies: dict) -> Redirect:
    now = ctx.clock()
    sealed = ctx.states.verify(args.get("state"), cookies.get(fed_state.BINDING_COOKIE), now)
    flow = sealed["flow"]
    try:
        valid = validate(ctx, AuthorizeRequest.from_args(sealed["req"]), ctx.live.pool_id())
    except live.StalePool:
        # Not used up yet: app.py serves this request once more (live.StalePool), and that run uses it.
        raise
    except Exception:
        ctx.states.consume(sealed, now)
        raise
    ctx.states.consume(sealed, now)
    try:
        return _complete(ctx, valid, sealed, args, flow, now)
    except OAuthError as error:
        ctx.events.emit("signin.failed", flow, error=error.error, error_description=error.description)
        raise AuthorizeRedirect(error, valid.request.redirect_uri, valid.request.state, valid.request.implicit) from None
    except Exception:  # a fault of ours or of AWS: Cognito's generic answer, never a traceback
        log.exception("idpresponse failed")
        error = ServerError("Exception processing authorization code")
        raise AuthorizeRedirect(error, valid.request.redirect_uri, valid.request.state, valid.request.implicit) from None


def _complete(ctx, valid, sealed: dict, args, flow: str, now: float) -> Redirect:
    provider = ctx.live.identity_provider(valid.pool_id, sealed["idp"])
    if provider is None:
        raise InvalidRequest(f"Identity provider {sealed['idp']} does not exist")
    identity = provider_type(provider).complete(ctx, provider, args, sealed["nonce"], flow, now)
    name = provider["ProviderName"]
    username = attrs.user_name(name, identity.user_id,
                               ctx.live.pool(valid.pool_id).get("UsernameConfiguration"))
    signed = users.sign_in(ctx, valid.pool_id, valid.client["ClientId"], name, identity.user_id, username,
                           identity.attributes, flow)
    if signed.created:
        ctx.events.emit("user.created", flow, username=username, sub=signed.user.sub,
                        attributes=signed.user.attributes)
    else:
        ctx.events.emit("user.updated", flow, username=username, updated=signed.updated)
    if not signed.user.enabled:
        raise InvalidRequest("User is disabled.")
    auth_time = int(now)
    # The app's nonce, or when it sent none, the one Cognito made for the IdP round trip: AWS's OIDC-flow
    # docs; real tokens carry it, and RPs that sent none fail on it (next-auth#3403, langfuse#4401).
    nonce = valid.request.nonce or sealed["nonce"]
    location = issue_code(ctx, valid, username, auth_time, flow, now, nonce)
    cookie = session.cookie(ctx.settings, session.create(ctx.settings, valid.pool_id, username, name, auth_time, now))
    return Redirect(location, set_cookies=[cookie])
