"""The sign-in step between /v1/authorize and the code: session reuse, the form, and the code redirect."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from mock_idp.errors import AccessDenied, AuthorizeRedirect, LoginRequired
from mock_idp.models import AuthorizeRequest, Grant, PendingSignin, Session, User


@dataclass(frozen=True)
class AuthorizeResponse:
    """What goes back to the client's redirect URI, and how (response_mode)."""

    redirect_uri: str
    params: dict
    response_mode: str = "query"


def session_user(provider, sid: str | None, now: float) -> tuple[User, Session] | None:
    """The signed-in user of an Okta session cookie, if the session is live and the user still active."""
    session = provider.state.sessions.get(sid, now)
    if session is None:
        return None
    user = provider.state.directory.user(session.user_id)
    if user is None or not user.can_sign_in():
        provider.state.sessions.discard(sid)
        return None
    return user, session


def xsrf_hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def xsrf_matches(pending: PendingSignin, cookie: str | None) -> bool:
    """Whether the browser posting the form holds the cookie of the browser that loaded it (constant time)."""
    return bool(cookie) and bool(pending.xsrf_hash) and hmac.compare_digest(xsrf_hash(cookie), pending.xsrf_hash)


def begin(request: AuthorizeRequest, provider, sid: str | None, now: float,
          xsrf: str = "") -> tuple[AuthorizeResponse | None, str | None]:
    """After a valid authorize request: (the response, None) when the session suffices, else (None, page key).

    The page is bound to `xsrf`, the browser's okta_xsrf cookie value (only its hash is kept)."""
    signed_in = session_user(provider, sid, now) if request.prompt != "login" else None
    if request.prompt == "none" and signed_in is None:
        # Okta's description for prompt=none without a session.
        raise AuthorizeRedirect(LoginRequired("The client specified not to prompt, but the user is not logged in."),
                                request.redirect_uri, request.state, request.response_mode)
    if signed_in is not None:
        user, session = signed_in
        return complete(request, user, session.auth_time, provider, now), None
    key = provider.state.signin_pages.put(secrets.token_urlsafe(24),
                                          PendingSignin(request, now + provider.cfg.transaction_ttl,
                                                                        xsrf_hash(xsrf)), now)
    return None, key


def check_password(provider, username: str, password: str) -> User | None:
    """The user, when the login exists, the password matches and the user may sign in; else None.

    One answer for every failure (unknown user, wrong password, deactivated), as Okta gives."""
    user = provider.state.directory.user(username.strip())
    if user is None or not user.password_matches(password) or not user.can_sign_in():
        return None
    return user


def start_session(provider, user: User, now: float) -> tuple[str, Session]:
    session = Session(user.id, int(now), now + provider.cfg.session_ttl)
    sid = provider.state.sessions.put(secrets.token_urlsafe(32), session, now)
    provider.state.directory.update(user.id, last_login=now)
    return sid, session


def complete(request: AuthorizeRequest, user: User, auth_time: int, provider, now: float) -> AuthorizeResponse:
    """Issue the code bound to everything the authorize request said, and the response that carries it."""
    if provider.scenarios.take_flag("deny_next_signin"):
        # What Okta answers when the user is not assigned to the app (the usual access_denied).
        raise AuthorizeRedirect(AccessDenied("User is not assigned to the client application."),
                                request.redirect_uri, request.state, request.response_mode)
    code = provider.issue_code(Grant(request, user.id, auth_time, now + provider.cfg.code_ttl), now)
    return AuthorizeResponse(request.redirect_uri, {"code": code, "state": request.state}, request.response_mode)
