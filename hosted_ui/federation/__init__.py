"""Federation with the pool's identity providers (seed steps b, c, d): one module per ProviderType,
each with one interface:

- `authorize_url(ctx, provider, state, nonce, forwarded) -> str`: where to send the browser (step b),
  `forwarded` being the app's parameters passed on to the IdP (prompt, login_hint);
- `complete(ctx, provider, args, nonce, flow, now) -> Identity`: the IdP's callback to a user (c, d).

A second OIDC IdP is one more IdentityProvider of the pool (seed.json); another type is one more entry."""

from hosted_ui.federation import oidc

PROVIDERS = {"OIDC": oidc}
