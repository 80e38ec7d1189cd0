"""OIDC federation with the pool's identity providers (seed steps b, c, d)."""
