"""Seed steps b and e from the browser's side: /oauth2/authorize, /login, and Cognito's own session."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from hosted_ui import live, session, token_overrides
from hosted_ui.authorize import ValidRequest, validate
from hosted_ui.authorize.request import AuthorizeRequest
from hosted_ui.codes import CODES, Grant
from hosted_ui.errors import AuthorizeRedirect, InvalidRequest, OAuthError
from hosted_ui.federation import state as fed_state
from hosted_ui.federation.redirect import idp_authorize_url
from hosted_ui.flow import flow_id, link, record
from hosted_ui.outcomes import LoginPage, Redirect
from hosted_ui.responses import add_query
from hosted_ui.settings import settings


def issue_code(valid: ValidRequest, username: str, auth_time: int, flow: str, now: float) -> str:
    """Seed step e: the code on the client's redirect URI, bound to what the request said. Tokens are made
    for this sign-in now: PreTokenGeneration (TokenGeneration_HostedAuth) runs here and its answer rides
    with the code (token_overrides.py); its failure is the sign-in's."""
    req = valid.request
    user = live.user(valid.pool_id, username)

    def on_trigger(trace: dict) -> None:
        record(flow, "lambda", "PreTokenGeneration trigger invoked", "e", event=trace["event"],
               answer=trace.get("answer"), error=trace.get("error"))

    overrides = token_overrides.run("TokenGeneration_HostedAuth", valid.pool_id, valid.client["ClientId"], user,
                                    valid.scopes, on_trigger) if user is not None else None
    code = CODES.issue(Grant(valid.client["ClientId"], req.redirect_uri, tuple(valid.scopes), req.nonce,
                             req.code_challenge, username, auth_time, now + settings().code_ttl, flow,
                             overrides), now)
    record(flow, "demo", "redirect to the client app with an authorization code", "e",
           redirect_uri=req.redirect_uri, code=code[:8] + "…", scopes=valid.scopes, username=username)
    return add_query(req.redirect_uri, {"code": code, "state": req.state})


def to_idp(valid: ValidRequest, provider_name: str, flow: str, binding: str | None) -> Redirect:
    """Seed step b: to the IdP's authorize endpoint, carrying the original request in Cognito's state."""
    req = valid.request
    provider = live.identity_provider(valid.pool_id, provider_name)
    if provider is None:
        raise AuthorizeRedirect(InvalidRequest(f"Identity provider {provider_name} does not exist"),
                                req.redirect_uri, req.state)
    binding = fed_state.new_binding(binding)
    sealed, nonce = fed_state.seal(req.params(), provider_name, flow, binding)
    try:
        location = idp_authorize_url(provider, sealed, nonce)
    except OAuthError as error:
        raise AuthorizeRedirect(error, req.redirect_uri, req.state) from None
    link(sealed, flow)
    record(flow, "okta", f"redirect the browser to {provider_name}'s authorize endpoint", "b",
           authorize_url=location.split("?")[0], client_id=provider["ProviderDetails"].get("client_id"),
           scope=provider["ProviderDetails"].get("authorize_scopes"),
           redirect_uri=settings().idp_response_url())
    cookie = (fed_state.BINDING_COOKIE, binding, {"httponly": True, "samesite": "Lax", "path": "/",
                                                   "max_age": settings().federation_ttl})
    return Redirect(location, set_cookies=[cookie])


def authorize(args, cookies: dict, now: float | None = None) -> Redirect:
    now = time.time() if now is None else now
    req = AuthorizeRequest.from_args(args)
    valid = validate(req, live.pool_id())
    flow = flow_id(req.state)
    record(flow, "cognito", "authorize request received", "b", client_id=req.client_id,
           redirect_uri=req.redirect_uri, scopes=valid.scopes, identity_provider=req.identity_provider,
           pkce=bool(req.code_challenge), nonce=bool(req.nonce))
    if valid.provider:
        return to_idp(valid, valid.provider, flow, cookies.get(fed_state.BINDING_COOKIE))
    signed_in = session.read(cookies.get(session.COOKIE), valid.pool_id)
    if signed_in and signed_in.get("idp") in (valid.client.get("SupportedIdentityProviders") or []):
        user = live.user(valid.pool_id, signed_in["username"])
        if user is not None and user.enabled:
            try:
                return Redirect(issue_code(valid, user.username, signed_in["auth_time"], flow, now))
            except OAuthError as error:  # a failing PreTokenGeneration: back to the client, as at sign-in
                raise AuthorizeRedirect(error, req.redirect_uri, req.state) from None
    record(flow, "browser", "show the login page", "b")
    return Redirect(f"{settings().url}/login?{urlencode(req.params())}")


def login_page(args) -> LoginPage:
    """Seed step b's other option: a button per identity provider the client supports."""
    req = AuthorizeRequest.from_args(args)
    valid = validate(req, live.pool_id())
    providers = []
    for name in valid.client.get("SupportedIdentityProviders") or []:
        if name != "COGNITO" and live.identity_provider(valid.pool_id, name) is not None:
            providers.append({"name": name, "href": f"{settings().url}/oauth2/authorize?"
                                                    f"{urlencode(req.params(identity_provider=name))}"})
    return LoginPage(providers)
