"""Token introspection (RFC 7662) and revocation (RFC 7009) for tokens issued to the calling client."""

from __future__ import annotations

from mock_idp import tokens
from mock_idp.errors import InvalidRequest
from mock_idp.models import Revoked

INACTIVE = {"active": False}


def _access_claims(token: str, client, provider, now: float) -> dict | None:
    claims = tokens.verify(token, provider.keys, provider.cfg, now, audience=provider.cfg.audience)
    if (claims is None or claims.get("cid") != client.client_id or not str(claims.get("jti", "")).startswith("AT.")
            or provider.state.revoked_access.get(claims["jti"], now) is not None):
        return None
    user = provider.state.directory.user(claims.get("uid"))
    return claims if user is not None and user.can_sign_in() else None


def introspect(form, client, provider, now: float) -> dict:
    token = form.get("token")
    if not token:
        raise InvalidRequest("The 'token' parameter is missing.")
    # The hint only orders the search (RFC 7662 §2.1); every kind is tried.
    refresh = provider.state.refresh_tokens.get(token, now)
    if refresh is not None and refresh.client_id == client.client_id:
        user = provider.state.directory.user(refresh.user_id)
        if user is None or not user.can_sign_in():
            return INACTIVE
        return {"active": True, "token_type": "refresh_token", "scope": " ".join(refresh.scopes),
                "client_id": client.client_id, "username": user.login, "iat": int(refresh.issued_at),
                "exp": int(refresh.expires_at), "sub": user.login, "uid": user.id, "iss": provider.cfg.issuer}
    access = _access_claims(token, client, provider, now)
    if access is not None:
        return {"active": True, "token_type": "Bearer", "scope": " ".join(access.get("scp", [])),
                "client_id": client.client_id, "username": access["sub"], "exp": access["exp"],
                "iat": access["iat"], "sub": access["sub"], "aud": access["aud"], "iss": access["iss"],
                "jti": access["jti"], "uid": access["uid"]}
    id_claims = tokens.verify(token, provider.keys, provider.cfg, now, audience=client.client_id)
    if id_claims is not None and str(id_claims.get("jti", "")).startswith("ID."):
        return {"active": True, "token_type": "id_token", "client_id": client.client_id, "exp": id_claims["exp"],
                "iat": id_claims["iat"], "sub": id_claims["sub"], "aud": id_claims["aud"], "iss": id_claims["iss"],
                "jti": id_claims["jti"]}
    return INACTIVE


def revoke(form, client, provider, now: float) -> None:
    """Revoke an access or refresh token; unknown tokens are not an error (RFC 7009 §2.2)."""
    token = form.get("token")
    if not token:
        raise InvalidRequest("The 'token' parameter is missing.")
    refresh = provider.state.refresh_tokens.get(token, now)
    if refresh is not None and refresh.client_id == client.client_id:
        provider.state.refresh_tokens.discard(token)
        return
    access = _access_claims(token, client, provider, now)
    if access is not None:
        provider.state.revoked_access.put(access["jti"], Revoked(float(access["exp"])), now)
