"""The emulated Cognito hosted UI (the user pool domain): authorize, login, federation with the pool's
OIDC identity providers, codes and tokens, userInfo, logout and revocation."""
