"""Mock Okta: an OIDC provider shaped like Okta's custom authorization server `default`."""
