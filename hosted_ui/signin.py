"""Seed steps b and e from the browser's side: /oauth2/authorize, /login, and Cognito's own session."""

from __future__ import annotations

from urllib.parse import urlencode

from hosted_ui import session, token_overrides
from hosted_ui.authorize import ValidRequest, validate
from hosted_ui.authorize.request import AuthorizeRequest
from hosted_ui.codes import Grant
from hosted_ui.errors import AuthorizeRedirect, InvalidRequest, OAuthError
from hosted_ui.federation import PROVIDERS
from hosted_ui.federation import state as fed_state
from hosted_ui.flow import flow_id
from hosted_ui.outcomes import LoginPage, Redirect
from hosted_ui.responses import add_query


def issue_code(ctx, valid: ValidRequest, username: str, auth_time: int, flow: str, now: float) -> str:
    """Seed step e: the code on the client's redirect URI, bound to what the request said. Tokens are made
    for this sign-in now: PreTokenGeneration (TokenGeneration_HostedAuth) runs here and its answer rides
    with the code (token_overrides.py); its failure is the sign-in's."""
    req = valid.request
    user = ctx.live.user(valid.pool_id, username)
    overrides = token_overrides.run(ctx, "TokenGeneration_HostedAuth", valid.pool_id, valid.client["ClientId"],
                                    user, valid.scopes, flow) if user is not None else None
    code = ctx.codes.issue(Grant(valid.client["ClientId"], req.redirect_uri, tuple(valid.scopes), req.nonce,
                                 req.code_challenge, username, auth_time, now + ctx.settings.code_ttl, flow,
                                 overrides), now)
    ctx.events.emit("code.issued", flow, redirect_uri=req.redirect_uri, code=code[:8] + "…", scopes=valid.scopes,
                    username=username)
    return add_query(req.redirect_uri, {"code": code, "state": req.state})


def provider_type(provider: dict):
    """The module of the provider's ProviderType (federation.PROVIDERS)."""
    kind = PROVIDERS.get(provider.get("ProviderType", ""))
    if kind is None:
        raise InvalidRequest(f"Identity provider type {provider.get('ProviderType')} is not supported")
    return kind


def to_idp(ctx, valid: ValidRequest, provider_name: str, flow: str, binding: str | None, now: float) -> Redirect:
    """Seed step b: to the IdP's authorize endpoint, carrying the original request in Cognito's state."""
    req = valid.request
    provider = ctx.live.identity_provider(valid.pool_id, provider_name)
    if provider is None:
        raise AuthorizeRedirect(InvalidRequest(f"Identity provider {provider_name} does not exist"),
                                req.redirect_uri, req.state)
    binding = fed_state.new_binding(binding)
    sealed, nonce = ctx.states.seal(req.params(), provider_name, flow, binding, now)
    try:
        location = provider_type(provider).authorize_url(ctx, provider, sealed, nonce)
    except OAuthError as error:
        raise AuthorizeRedirect(error, req.redirect_uri, req.state) from None
    ctx.events.emit("idp.redirected", flow, provider=provider_name, state=sealed,
                    authorize_url=location.split("?")[0], client_id=provider["ProviderDetails"].get("client_id"),
                    scope=provider["ProviderDetails"].get("authorize_scopes"),
                    redirect_uri=ctx.settings.idp_response_url())
    cookie = (fed_state.BINDING_COOKIE, binding, {"httponly": True, "samesite": "Lax", "path": "/",
                                                   "max_age": ctx.settings.federation_ttl})
    return Redirect(location, set_cookies=[cookie])


def authorize(ctx, args, cookies: dict) -> Redirect:
    now = ctx.clock()
    req = AuthorizeRequest.from_args(args)
    valid = validate(ctx, req, ctx.live.pool_id())
    flow = flow_id(req.state)
    ctx.events.emit("authorize.received", flow, client_id=req.client_id, redirect_uri=req.redirect_uri,
                    scopes=valid.scopes, identity_provider=req.identity_provider, pkce=bool(req.code_challenge),
                    nonce=bool(req.nonce))
    if valid.provider:
        return to_idp(ctx, valid, valid.provider, flow, cookies.get(fed_state.BINDING_COOKIE), now)
    signed_in = session.read(ctx.settings, cookies.get(session.COOKIE), valid.pool_id)
    if signed_in and signed_in.get("idp") in (valid.client.get("SupportedIdentityProviders") or []):
        user = ctx.live.user(valid.pool_id, signed_in["username"])
        if user is not None and user.enabled:
            try:
                return Redirect(issue_code(ctx, valid, user.username, signed_in["auth_time"], flow, now))
            except OAuthError as error:  # a failing PreTokenGeneration: back to the client, as at sign-in
                raise AuthorizeRedirect(error, req.redirect_uri, req.state) from None
    ctx.events.emit("login.shown", flow)
    return Redirect(f"{ctx.settings.url}/login?{urlencode(req.params())}")


def login_page(ctx, args) -> LoginPage:
    """Seed step b's other option: a button per identity provider the client supports."""
    req = AuthorizeRequest.from_args(args)
    valid = validate(ctx, req, ctx.live.pool_id())
    providers = []
    for name in valid.client.get("SupportedIdentityProviders") or []:
        if name != "COGNITO" and ctx.live.identity_provider(valid.pool_id, name) is not None:
            providers.append({"name": name, "href": f"{ctx.settings.url}/oauth2/authorize?"
                                                    f"{urlencode(req.params(identity_provider=name))}"})
    return LoginPage(providers)
