"""The demo site's pages: home, profile (the API's answer), the flow page, health."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render

from demo_site import flow_page, profile
from demo_site import health as site_health
from demo_site.backchannel import for_browser
from demo_site.oidc.sign_in import FLOW_KEY, SignIn
from demo_site.oidc.token_view import describe
from demo_site.oidc.views import okta_logout_redirect


def health(request):
    """200 while this site can sign people in; 503 and the reason while it cannot (demo_site/health.py)."""
    reason = site_health.problem()
    if reason:
        return JsonResponse({"status": "unavailable", "service": "demo", "reason": reason}, status=503)
    return JsonResponse({"status": "ok", "service": "demo"})


def home(request):
    okta = okta_logout_redirect(request)
    if okta:
        return HttpResponseRedirect(okta)
    return render(request, "demo/home.html", {
        "sign_in_via": settings.COGNITO_IDENTITY_PROVIDER or "Cognito's sign-in page",
        "flow": request.session.get(FLOW_KEY)})


def _api_page(request, path: str, title: str):
    result = profile.fetch(request.session, path)
    if not result.answer.ok:
        status = 502 if result.answer.status >= 500 or result.answer.status == 0 else (
            404 if result.answer.status == 404 else 403)
        return render(request, "demo/refused.html", {"title": title, "result": result, "path": path,
                                                     "api_url": for_browser(result.answer.url),
                                                     "reason": for_browser(result.reason)}, status=status)
    sign_in = SignIn.load(request.session)
    body = result.answer.body if isinstance(result.answer.body, dict) else {"answer": result.answer.body}
    return render(request, "demo/profile.html", {
        "title": title, "result": result, "path": path, "body": body, "api_url": for_browser(result.answer.url),
        "sections": [(name, sorted(value.items()) if isinstance(value, dict) else None, value)
                     for name, value in body.items()],
        "id_token": for_browser(describe(sign_in.id_token, settings.OIDC_OP_JWKS_ENDPOINT)) if sign_in else None})


@login_required
def profile_page(request):
    """Seed steps h-k: the profile API called with the access token; its data and the DynamoDB record."""
    return _api_page(request, settings.API_PROFILE_PATH, "Your profile")


@login_required
def admin_profiles(request):
    """A route whose scope the demo client lacks: shows what a refusal looks like."""
    return _api_page(request, settings.API_ADMIN_PATH, "Every profile (admin)")


def flow(request):
    """The last sign-in of this browser session, step by step, as a sequence diagram."""
    flow_id = request.session.get(FLOW_KEY)
    events, problem = flow_page.fetch(flow_id) if flow_id else ([], "No sign-in yet in this browser session.")
    return render(request, "demo/flow.html", {"flow": flow_id, "problem": problem,
                                              "diagram": flow_page.build(events)})
