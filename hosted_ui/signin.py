"""Seed steps b and e from the browser's side: /oauth2/authorize, /login, and Cognito's own session."""

from __future__ import annotations

from urllib.parse import urlencode

from hosted_ui import session, token_overrides
from hosted_ui.authorize import ValidRequest, validate
from hosted_ui.authorize.request import AuthorizeRequest
from hosted_ui.codes import Grant
from hosted_ui.errors import AuthorizeRedirect, InvalidRequest, LoginRequired, OAuthError
from hosted_ui.federation import PROVIDERS
from hosted_ui.federation import state as fed_state
from hosted_ui.flow import flow_id, short
from hosted_ui.outcomes import LoginPage, Redirect
from hosted_ui.tokens import new_authentication, user_tokens
from sandbox.query import add_fragment, add_query


def issue_code(ctx, valid: ValidRequest, username: str, auth_time: int, flow: str, now: float,
               nonce: str | None) -> str:
    """Seed step e: the code on the client's redirect URI, bound to what the request said (or, for
    response_type=token, the tokens in its fragment). Tokens are made for this sign-in now:
    PreTokenGeneration (TokenGeneration_HostedAuth) runs here and its answer rides with the code
    (token_overrides.py); its failure is the sign-in's. `nonce` is the ID token's: the app's, or after an
    IdP round trip without one, Cognito's own (idp_response.py)."""
    req = valid.request
    user = ctx.live.user(valid.pool_id, username)
    overrides = token_overrides.run(ctx, "TokenGeneration_HostedAuth", valid.pool_id, valid.client["ClientId"],
                                    user, valid.scopes, flow) if user is not None else None
    if req.implicit:
        return implicit_tokens(ctx, valid, user, auth_time, flow, now, nonce, overrides)
    code = ctx.codes.issue(Grant(valid.client["ClientId"], req.redirect_uri, tuple(valid.scopes), nonce,
                                 req.code_challenge, username, auth_time, now + ctx.settings.code_ttl, flow,
                                 overrides), now)
    ctx.events.emit("code.issued", flow, redirect_uri=req.redirect_uri, code=code[:8] + "…", scopes=valid.scopes,
                    username=username)
    return add_query(req.redirect_uri, {"code": code, "state": req.state})


def implicit_tokens(ctx, valid: ValidRequest, user, auth_time: int, flow: str, now: float, nonce: str | None,
                    overrides) -> str:
    """response_type=token: the ID token (with openid) and access token in the redirect URI's fragment,
    no refresh token (authorization-endpoint docs, "Token grant with openid scope":
    #id_token=…&access_token=…&token_type=bearer&expires_in=3600&state=…). One capture
    (paulmboyce/cdk-cf-cognito-site) shows `token_type=Bearer` after expires_in: the documented form is
    kept; RFC 6749 §5.1 makes the value case-insensitive, so an app must not compare it by case."""
    req = valid.request
    if user is None or not user.enabled:
        raise InvalidRequest("User is disabled.")
    auth = new_authentication(valid.pool_id, valid.client, user.username, valid.scopes, auth_time)
    tokens = user_tokens(ctx, auth, user, int(now), nonce, overrides)
    ctx.events.emit("tokens.issued", flow, id_token=short(tokens.get("id_token")),
                    access_token=short(tokens["access_token"]), expires_in=tokens["expires_in"],
                    scopes=valid.scopes)
    return add_fragment(req.redirect_uri, {"id_token": tokens.get("id_token"), "access_token": tokens["access_token"],
                                           "token_type": "bearer", "expires_in": tokens["expires_in"],
                                           "state": req.state})


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
                                req.redirect_uri, req.state, req.implicit)
    binding = fed_state.new_binding(binding)
    sealed, nonce = ctx.states.seal(req.params(), provider_name, flow, binding, now)
    # Authorization-endpoint docs (managed login): prompt and login_hint are passed on to OIDC IdPs.
    forwarded = {"prompt": req.prompt, "login_hint": req.login_hint}
    try:
        location = provider_type(provider).authorize_url(ctx, provider, sealed, nonce, forwarded)
    except OAuthError as error:
        raise AuthorizeRedirect(error, req.redirect_uri, req.state, req.implicit) from None
    ctx.events.emit("idp.redirected", flow, provider=provider_name, state=sealed,
                    authorize_url=location.split("?")[0], client_id=provider["ProviderDetails"].get("client_id"),
                    scope=provider["ProviderDetails"].get("authorize_scopes"),
                    redirect_uri=ctx.settings.idp_response_url())
    cookie = (fed_state.BINDING_COOKIE, binding, {"httponly": True, "samesite": "Lax", "path": "/",
                                                   "max_age": ctx.settings.federation_ttl})
    return Redirect(location, set_cookies=[cookie])


def session_user(ctx, valid: ValidRequest, cookies: dict) -> tuple | None:
    """(user, session claims) of the browser's Cognito session, when it is usable for this client."""
    signed_in = session.read(ctx.settings, cookies.get(session.COOKIE), valid.pool_id)
    if not signed_in or signed_in.get("idp") not in (valid.client.get("SupportedIdentityProviders") or []):
        return None
    user = ctx.live.user(valid.pool_id, signed_in["username"])
    return (user, signed_in) if user is not None and user.enabled else None


def from_session(ctx, valid: ValidRequest, user, signed_in: dict, flow: str, now: float) -> Redirect:
    """A code from Cognito's own session: no IdP round trip, so only the app's nonce, if any (a second
    sign-in passes an RP's nonce check: langfuse/langfuse#4401)."""
    req = valid.request
    try:
        return Redirect(issue_code(ctx, valid, user.username, signed_in["auth_time"], flow, now, req.nonce))
    except OAuthError as error:  # a failing PreTokenGeneration: back to the client, as at sign-in
        raise AuthorizeRedirect(error, req.redirect_uri, req.state, req.implicit) from None


def silently(ctx, valid: ValidRequest, cookies: dict, flow: str, now: float) -> Redirect:
    """prompt=none: a code from a usable Cognito session, else error=login_required, never a page
    (authorization-endpoint docs). A federated session is resumed with no identity_provider or with its own
    IdP, not with identity_provider=COGNITO (aws-amplify/amplify-js#14897's matrix)."""
    req = valid.request
    signed_in = session_user(ctx, valid, cookies)
    if signed_in is None or valid.requested_provider not in (None, signed_in[1].get("idp")):
        raise AuthorizeRedirect(LoginRequired(), req.redirect_uri, req.state, req.implicit)
    return from_session(ctx, valid, *signed_in, flow, now)


def authorize(ctx, args, cookies: dict) -> Redirect:
    now = ctx.clock()
    req = AuthorizeRequest.from_args(args)
    valid = validate(ctx, req, ctx.live.pool_id())
    flow = flow_id(req.state)
    ctx.events.emit("authorize.received", flow, client_id=req.client_id, redirect_uri=req.redirect_uri,
                    scopes=valid.scopes, identity_provider=req.identity_provider, pkce=bool(req.code_challenge),
                    nonce=bool(req.nonce))
    if "none" in req.prompts:
        return silently(ctx, valid, cookies, flow, now)
    if valid.provider:
        return to_idp(ctx, valid, valid.provider, flow, cookies.get(fed_state.BINDING_COOKIE), now)
    signed_in = session_user(ctx, valid, cookies)
    if signed_in is not None and not req.prompts & {"login", "select_account"}:  # they ask for a new sign-in
        return from_session(ctx, valid, *signed_in, flow, now)
    ctx.events.emit("login.shown", flow)
    return Redirect(f"{ctx.settings.page('login')}?{urlencode(req.params())}")


def login_page(ctx, args) -> LoginPage:
    """Seed step b's other option: a button per identity provider the client supports."""
    req = AuthorizeRequest.from_args(args)
    valid = validate(ctx, req, ctx.live.pool_id())
    providers = []
    for name in valid.client.get("SupportedIdentityProviders") or []:
        if name != "COGNITO" and ctx.live.identity_provider(valid.pool_id, name) is not None:
            providers.append({"name": name, "href": f"{ctx.settings.page('authorize')}?"
                                                    f"{urlencode(req.params(identity_provider=name))}"})
    return LoginPage(providers)
