"""One sign-in's tokens: kept in the session, and recorded on the flow page (seed step g)."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from demo_site.oidc.token_view import describe
from sandbox import flowlog

SESSION_KEY = "demo_tokens"
FLOW_KEY = "demo_flow"  # the OAuth state of the last sign-in: the flow page's id


@dataclass
class SignIn:
    flow: str | None
    access_token: str
    id_token: str
    refresh_token: str | None
    expires_in: int | None

    def save(self, session) -> None:
        data = asdict(self)
        data["expires_at"] = time.time() + int(self.expires_in or 3600)
        session[SESSION_KEY] = data
        # mozilla-django-oidc's own keys, for code that expects them (e.g. its logout hooks).
        session["oidc_access_token"] = self.access_token
        session["oidc_id_token"] = self.id_token
        if self.flow:
            session[FLOW_KEY] = self.flow

    @classmethod
    def load(cls, session) -> "SignIn | None":
        data = session.get(SESSION_KEY)
        if not isinstance(data, dict):
            return None
        return cls(**{k: data.get(k) for k in ("flow", "access_token", "id_token", "refresh_token", "expires_in")})

    def replace_tokens(self, session, answer: dict) -> None:
        """Keep a refresh answer's new tokens (Cognito sends no new refresh token: keep ours)."""
        self.access_token = answer.get("access_token", self.access_token)
        self.id_token = answer.get("id_token", self.id_token)
        self.refresh_token = answer.get("refresh_token", self.refresh_token)
        self.expires_in = answer.get("expires_in", self.expires_in)
        self.save(session)


def short(token: str | None) -> str:
    return f"{token[:12]}…{token[-6:]}" if token else ""


def record_sign_in(sign_in: SignIn, user, *, jwk, jwks_url: str, userinfo_url: str | None) -> None:
    """Seed step g as it happened: the token answer, the ID token's checks, the userInfo call (when one was
    made), the user."""
    flow = sign_in.flow
    id_view = describe(sign_in.id_token, jwks_url)
    access_view = describe(sign_in.access_token, jwks_url)
    flowlog.record(flow, actor="demo", target="cognito", step="g",
                   summary="Validated the ID token: RS256 signature, exp, iss, aud, token_use=id, nonce",
                   detail={"request": f"GET {jwks_url} (the pool's key set; key {getattr(jwk, 'key_id', '')})",
                           "answer": "every check passed",
                           "tokens": {"id_token": id_view, "access_token": access_view},
                           "refresh_token": "received" if sign_in.refresh_token else "none"})
    if userinfo_url:
        flowlog.record(flow, actor="demo", target="cognito", step="g",
                       summary="Read the user's attributes from /oauth2/userInfo with the access token",
                       detail={"request": f"GET {userinfo_url} Authorization: Bearer {short(sign_in.access_token)}",
                               "answer": "200 (sub matches the ID token's)"})
    flowlog.record(flow, actor="demo", target="browser", step="g",
                   summary=f"Signed in {user.username} ({user.email}); session cookie demo_sessionid set",
                   detail={"answer": "302 to /profile/", "django_user": {
                       "username": user.username, "email": user.email,
                       "first_name": user.first_name, "last_name": user.last_name}})
