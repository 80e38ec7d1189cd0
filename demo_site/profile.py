"""The profile page's logic: call the API with the session's access token, refreshing it once if expired."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from demo_site import api_client
from demo_site.resources import resolve_again
from demo_site.oidc.sign_in import SignIn, short
from demo_site.oidc.token_client import TokenEndpointError, refresh
from sandbox import flowlog


@dataclass
class ProfileResult:
    answer: api_client.ApiAnswer
    refreshed: bool = False
    reason: str = ""  # why the call was refused, in words; empty when it succeeded


def fetch(session, path: str) -> ProfileResult:
    """GET <API_URL><path> with the access token (seed step h); on "expired", refresh and try once more."""
    sign_in = SignIn.load(session)
    if sign_in is None:
        answer = api_client.ApiAnswer(settings.API_URL + path, 0, error="no tokens in this session")
        return ProfileResult(answer, reason="This session holds no tokens: sign in again.")
    answer = _call(sign_in, path)
    if answer.status == 403 and answer.message == "Missing Authentication Token" and resolve_again(settings):
        answer = _call(sign_in, path)  # the API was made anew under another id: its URL read again from AWS
    refreshed, refresh_error = False, ""
    if answer.expired and sign_in.refresh_token:
        try:
            new = _refresh(sign_in)
            sign_in.replace_tokens(session, new)
            refreshed = True
            flowlog.record(sign_in.flow, actor="demo", target="cognito", step="h",
                           summary="Access token expired: got new tokens with the refresh token",
                           detail={"request": f"POST {settings.OIDC_OP_TOKEN_ENDPOINT} grant_type=refresh_token",
                                   "answer": "200 new access and ID tokens"})
            answer = _call(sign_in, path)
        except TokenEndpointError as exc:
            refresh_error = str(exc)
    reason = "" if answer.ok else api_client.why_refused(answer, sign_in.access_token, refresh_error)
    page = "the page with the API's data" if answer.ok else f"a refusal page: {reason}"
    flowlog.record(sign_in.flow, actor="demo", target="browser", step="k",
                   summary=f"The API answered {answer.status or 'nothing'}: showed {page}",
                   detail={"api_answer": answer.body if answer.status else answer.error})
    return ProfileResult(answer, refreshed, reason)


def _refresh(sign_in: SignIn) -> dict:
    """The refresh grant; when the client's secret is refused, read it again from AWS (the app client may
    have been made anew) and, if it changed, try once more."""
    def attempt():
        return refresh(settings.OIDC_OP_TOKEN_ENDPOINT, settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET,
                       sign_in.refresh_token, flow=sign_in.flow, timeout=settings.OIDC_TIMEOUT)
    try:
        return attempt()
    except TokenEndpointError as exc:
        if exc.error != "invalid_client" or not resolve_again(settings):
            raise
        return attempt()


def _call(sign_in: SignIn, path: str) -> api_client.ApiAnswer:
    url = settings.API_BACKCHANNEL_URL + path
    flowlog.record(sign_in.flow, actor="demo", target="api", step="h",
                   summary=f"Called GET {path} with the access token",
                   detail={"request": f"GET {settings.API_URL + path} Authorization: {short(sign_in.access_token)}"})
    return api_client.call(url, sign_in.access_token, flow=sign_in.flow, timeout=settings.API_TIMEOUT)
