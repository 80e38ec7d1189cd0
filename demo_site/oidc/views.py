"""mozilla-django-oidc's views with the demo site's additions: the seed step b choice, the flow record,
a sign-in failure page that says why, and the tokens kept in the session after login."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.shortcuts import render
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView, OIDCLogoutView

from demo_site.logout import okta_logout_url
from demo_site.oidc.backend import UserInfoRefused
from demo_site.oidc.id_token import IdTokenRejected
from demo_site.oidc.sign_in import FLOW_KEY
from demo_site.oidc.token_client import TokenEndpointError
from sandbox import flowlog

OKTA_LOGOUT_PENDING = "demo_okta_logout_pending"
SHOWN_PARAMS = ("response_type", "client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge",
                "code_challenge_method", "identity_provider")


class SignInStartView(OIDCAuthenticationRequestView):
    """Seed steps a and b: the user asks to sign in; the browser is sent to Cognito's authorize URL."""

    def get_extra_params(self, request):
        params = dict(super().get_extra_params(request))
        if settings.COGNITO_IDENTITY_PROVIDER:  # straight to Okta, skipping Cognito's /login page
            params["identity_provider"] = settings.COGNITO_IDENTITY_PROVIDER
        return params

    def get(self, request):
        response = super().get(request)
        params = dict(parse_qsl(urlsplit(response.url).query))
        flow = params.get("state")
        flowlog.record(flow, actor="demo", target="browser", step="a",
                       summary="The user opened the demo site and chose Sign in",
                       detail={"inbound": True, "request": f"GET {request.get_full_path()}"})
        where = "Okta, skipping Cognito's login page" if "identity_provider" in params else "Cognito's login page"
        flowlog.record(flow, actor="demo", target="cognito", step="b",
                       summary=f"Redirected the browser to Cognito's /oauth2/authorize (on to {where})",
                       detail={"request": f"302 Location: {settings.OIDC_OP_AUTHORIZATION_ENDPOINT}",
                               "params": {k: params[k] for k in SHOWN_PARAMS if k in params},
                               "pkce": "code_verifier kept in the session; only its S256 challenge is sent"})
        return response


class SignInCallbackView(OIDCAuthenticationCallbackView):
    """Cognito's redirect back with a code (seed step e), the token exchange (f) and the checks (g)."""

    failure_reason = "The sign-in did not complete: this callback matches no sign-in started in this browser."
    failure_status = 400

    def get(self, request):
        state = request.GET.get("state")
        # Only a sign-in this browser started may show its error text or become its flow page: anyone can
        # send a browser to /oidc/callback/?state=<another's state>&error_description=<any text>.
        self.own_flow = state if state and state in request.session.get("oidc_states", {}) else None
        flow = self.own_flow
        if request.GET.get("error") and self.own_flow:
            # Cognito sends its (and the IdP's) errors to the redirect URI (authorization endpoint docs).
            self.failure_reason = f"Cognito answered {request.GET['error']}: {request.GET.get('error_description', '')}"
        try:
            return super().get(request)
        except IdTokenRejected as exc:
            return self.failed(f"The ID token was refused: {exc}", 403, flow)
        except UserInfoRefused as exc:
            return self.failed(f"Cognito's userInfo check failed: {exc}", 403, flow)
        except TokenEndpointError as exc:
            status = 502 if exc.error == "unreachable" else 400
            return self.failed(f"Cognito's token endpoint refused the code: {exc}", status, flow)
        except SuspiciousOperation as exc:  # mozilla-django-oidc: a state not in this session
            return self.failed(f"The sign-in was refused: {exc}", 400, flow)

    def login_failure(self):
        return self.failed(self.failure_reason, self.failure_status, getattr(self, "own_flow", None))

    def login_success(self):
        response = super().login_success()
        sign_in = getattr(self.request, "demo_sign_in", None)
        if sign_in is not None:
            sign_in.save(self.request.session)
        return response

    def failed(self, reason: str, status: int, flow: str | None):
        if flow:
            self.request.session[FLOW_KEY] = flow  # the flow page shows failed sign-ins too
        flowlog.record(flow, actor="demo", target="browser", step="g", summary=f"Sign-in refused: {reason}",
                       detail={"answer": f"{status} sign-in failed page"})
        return render(self.request, "demo/sign_in_failed.html", {"reason": reason, "flow": flow}, status=status)


class SignOutView(OIDCLogoutView):
    """Sign out of the demo site, then Cognito (OIDC_OP_LOGOUT_URL_METHOD), then optionally Okta."""

    def post(self, request):
        signed_in = request.user.is_authenticated
        flow = request.session.get(FLOW_KEY)
        user = request.user.get_username() if signed_in else ""
        response = super().post(request)  # auth.logout flushes the session
        if flow:
            request.session[FLOW_KEY] = flow  # keep the flow page of the last sign-in
        if signed_in:
            if settings.OKTA_LOGOUT_URL:
                request.session[OKTA_LOGOUT_PENDING] = True
            flowlog.record(flow, actor="demo", target="cognito", summary=f"Signed {user} out; "
                           "browser sent to Cognito's /logout" + (" then Okta's" if settings.OKTA_LOGOUT_URL else ""),
                           detail={"request": f"302 Location: {response.url}"})
        return response


def okta_logout_redirect(request):
    """After Cognito's /logout came back: on to Okta's /v1/logout once, when OKTA_LOGOUT_URL is set."""
    if request.session.pop(OKTA_LOGOUT_PENDING, False) and settings.OKTA_LOGOUT_URL:
        return okta_logout_url()
    return None



