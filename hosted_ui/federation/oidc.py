"""The OIDC identity-provider type (ProviderType "OIDC"): where to send the browser, and the callback
completed (seed steps c, d): code exchange, ID-token check, userinfo, attributes."""

from __future__ import annotations

from hosted_ui.errors import IdpError, InvalidRequest
from hosted_ui.federation import attributes as attrs
from hosted_ui.federation import code_exchange, id_token, userinfo
from hosted_ui.federation.identity import Identity
from hosted_ui.federation.redirect import idp_authorize_url
from hosted_ui.flow import short

authorize_url = idp_authorize_url


def complete(ctx, provider: dict, args, nonce: str, flow: str, now: float) -> Identity:
    """The user the IdP's callback `args` names, with the pool's attributes mapped from its claims."""
    if args.get("error"):
        # facts.md: the IdP's error (e.g. access_denied) and description are passed on (unconfirmed).
        ctx.events.emit("idp.error_received", flow, error=args["error"],
                        error_description=args.get("error_description"))
        raise IdpError(args["error"], args.get("error_description", ""))
    code = args.get("code")
    if not code:
        raise InvalidRequest("code is required")
    ctx.events.emit("idp.code_received", flow, code=short(code, 8))
    details, mapping = provider["ProviderDetails"], provider.get("AttributeMapping")
    idp = ctx.idp.endpoints(details)

    tokens = code_exchange.exchange(ctx, provider, idp, code, flow)
    ctx.events.emit("idp.code_exchanged", flow, token_url=idp.token_url, id_token=short(tokens.get("id_token")),
                    access_token=short(tokens.get("access_token")))
    id_claims = id_token.verify(ctx, tokens["id_token"], idp, details.get("client_id", ""), nonce, flow, now)
    info = userinfo.fetch(ctx, provider, idp, tokens["access_token"], id_claims, flow)
    ctx.events.emit("idp.userinfo_called", flow, userinfo_url=idp.userinfo_url, claims=sorted(info))

    claims = {**id_claims, **info}
    return Identity(attrs.idp_user_id(mapping, claims), attrs.map_attributes(mapping, claims))
