"""grant_type=authorization_code (seed step f): the code once, for the client, URI and verifier it was bound to."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from hosted_ui.errors import InvalidGrant, InvalidRequest, UnauthorizedClient
from hosted_ui.flow import short
from hosted_ui.live import validity_seconds
from hosted_ui.tokens import check_readable, new_authentication, user_tokens


# RFC 7636 §4.1: code_verifier = 43*128unreserved, unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~".
VERIFIER = re.compile(r"[A-Za-z0-9._~-]{43,128}")


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def grant(ctx, form, client: dict, pool_id: str, now: float) -> dict:
    code, redirect_uri, verifier = form.get("code"), form.get("redirect_uri"), form.get("code_verifier")
    if not code or not redirect_uri:
        raise InvalidRequest("code and redirect_uri are required")
    if "code" not in (client.get("AllowedOAuthFlows") or []):
        raise UnauthorizedClient("Client is not allowed the code grant")
    found = ctx.codes.pop(code, now)  # popped: a second use, right or wrong, finds nothing
    if found is None or found.client_id != client["ClientId"] or found.redirect_uri != redirect_uri:
        raise InvalidGrant("Invalid code")
    if found.code_challenge:
        # RFC 7636 §4.6: S256, compared in constant time.
        if not verifier:
            raise InvalidRequest("code_verifier is required")
        if not VERIFIER.fullmatch(verifier):
            # A malformed verifier is never hashed. invalid_grant, as for a wrong one (RFC 7636 §4.6);
            # what Cognito sends here is unconfirmed.
            raise InvalidGrant("Invalid code_verifier")
        if not hmac.compare_digest(s256(verifier), found.code_challenge):
            raise InvalidGrant("Invalid code_verifier")
    elif verifier:
        raise InvalidGrant("code_verifier without a code_challenge")  # no PKCE downgrade
    user = ctx.live.user(pool_id, found.username)
    if user is None or not user.enabled:
        raise InvalidGrant("User does not exist or is disabled")
    check_readable(client, found.scopes)
    auth = new_authentication(pool_id, client, user.username, found.scopes, found.auth_time)
    tokens = user_tokens(ctx, auth, user, int(now), found.nonce, found.overrides)
    refresh = ctx.refresh.issue(auth, validity_seconds(client, "RefreshToken"), now)
    body = {**({"id_token": tokens["id_token"]} if "id_token" in tokens else {}),
            "access_token": tokens["access_token"], "refresh_token": refresh,
            "expires_in": tokens["expires_in"], "token_type": "Bearer"}
    ctx.events.emit("tokens.issued", found.flow, id_token=short(body.get("id_token")),
                    access_token=short(body["access_token"]), expires_in=body["expires_in"], scopes=list(found.scopes))
    return body
