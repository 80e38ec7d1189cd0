"""/oauth2/idpresponse (seed steps c, d, l, m, e): the IdP's code back to a user and a code for the client."""

from __future__ import annotations

import logging
import time

from hosted_ui import live, session, users
from hosted_ui.authorize import validate
from hosted_ui.authorize.request import AuthorizeRequest
from hosted_ui.errors import AuthorizeRedirect, IdpError, InvalidRequest, OAuthError, ServerError
from hosted_ui.federation import attributes as attrs
from hosted_ui.federation import code_exchange, id_token, userinfo
from hosted_ui.federation import state as fed_state
from hosted_ui.federation.discovery import endpoints
from hosted_ui.flow import record, short
from hosted_ui.outcomes import Redirect
from hosted_ui.signin import issue_code

log = logging.getLogger("sandbox.cognito")


def idp_response(args, cookies: dict, now: float | None = None) -> Redirect:
    now = time.time() if now is None else now
    sealed = fed_state.verify(args.get("state"), cookies.get(fed_state.BINDING_COOKIE), now)
    flow = sealed["flow"]
    try:
        valid = validate(AuthorizeRequest.from_args(sealed["req"]), live.pool_id())
    except live.StalePool:
        raise  # served again (app.py): the state is used up then
    except Exception:
        fed_state.consume(sealed, now)
        raise
    fed_state.consume(sealed, now)
    try:
        return _complete(valid, sealed, args, flow, now)
    except OAuthError as error:
        record(flow, "demo", f"sign-in failed: {error.error}", "e", error=error.error,
               error_description=error.description)
        raise AuthorizeRedirect(error, valid.request.redirect_uri, valid.request.state) from None
    except Exception:  # a fault of ours or of AWS: Cognito's generic answer, never a traceback
        log.exception("idpresponse failed")
        error = ServerError("Exception processing authorization code")
        raise AuthorizeRedirect(error, valid.request.redirect_uri, valid.request.state) from None


def _complete(valid, sealed: dict, args, flow: str, now: float) -> Redirect:
    if args.get("error"):
        # facts.md: the IdP's error (e.g. access_denied) and description are passed on (unconfirmed).
        record(flow, "cognito", f"the IdP answered {args['error']}", "c", error=args["error"],
               error_description=args.get("error_description"))
        raise IdpError(args["error"], args.get("error_description", ""))
    code = args.get("code")
    if not code:
        raise InvalidRequest("code is required")
    record(flow, "cognito", "authorization code received from Okta", "c", code=short(code, 8))
    provider = live.identity_provider(valid.pool_id, sealed["idp"])
    if provider is None:
        raise InvalidRequest(f"Identity provider {sealed['idp']} does not exist")
    name, details, mapping = provider["ProviderName"], provider["ProviderDetails"], provider.get("AttributeMapping")
    idp = endpoints(details)

    tokens = code_exchange.exchange(provider, idp, code, flow)
    record(flow, "okta", "exchanged the code at Okta's token endpoint", "d", token_url=idp.token_url,
           id_token=short(tokens.get("id_token")), access_token=short(tokens.get("access_token")))
    id_claims = id_token.verify(tokens["id_token"], idp, details.get("client_id", ""), sealed["nonce"], flow, now)
    info = userinfo.fetch(provider, idp, tokens["access_token"], id_claims, flow)
    record(flow, "okta", "called Okta's userinfo with the access token", "d", userinfo_url=idp.userinfo_url,
           claims=sorted(info))

    claims = {**id_claims, **info}
    user_id = attrs.idp_user_id(mapping, claims)
    username = attrs.user_name(name, user_id, live.pool(valid.pool_id).get("UsernameConfiguration"))
    mapped = attrs.map_attributes(mapping, claims)

    def on_presignup(trace: dict) -> None:
        record(flow, "lambda", "PreSignUp trigger invoked", "m", event=trace["event"],
               answer=trace.get("answer"), error=trace.get("error"))

    def on_trigger(trace: dict) -> None:
        record(flow, "lambda", f"{trace['trigger']} trigger invoked", "e", event=trace["event"],
               answer=trace.get("answer"), error=trace.get("error"))

    signed = users.sign_in(valid.pool_id, valid.client["ClientId"], name, user_id, username, mapped, on_presignup,
                           on_trigger)
    if signed.created:
        record(flow, "cognito", f"user {username} created (EXTERNAL_PROVIDER)", "l", username=username,
               sub=signed.user.sub, attributes=signed.user.attributes)
    else:
        record(flow, "cognito", f"returning user {username}: attributes updated", "e", username=username,
               updated=signed.updated)
    if not signed.user.enabled:
        raise InvalidRequest("User is disabled.")
    auth_time = int(now)
    location = issue_code(valid, username, auth_time, flow, now)
    return Redirect(location, set_cookies=[session.cookie(session.create(valid.pool_id, username, name, auth_time))])
