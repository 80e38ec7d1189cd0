"""The demo site's own middleware: the canonical host, and a request's flow events sent together.

Send the browser to the demo site's configured host before anything sets a cookie.

Cookies for `127.0.0.1` are not sent to `localhost`, and Cognito accepts only the registered redirect
URI: a sign-in started on another host name would fail at the callback. /health is exempt (health checks
and back-channel callers use service names)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseRedirect

from sandbox import flowlog


def canonical_host(get_response):
    canonical = urlsplit(settings.DEMO_SITE_URL).netloc

    def middleware(request):
        if (request.method in ("GET", "HEAD") and request.path != "/health"
                and request.get_host() != canonical):
            return HttpResponseRedirect(settings.DEMO_SITE_URL + request.get_full_path())
        return get_response(request)

    return middleware


def flow_events_gathered(get_response):
    """A request's flow events go to the flow collector in one POST when it ends, as the hosted UI's do
    (sandbox/flowlog.py `gathered`): the callback and the profile page record events on both sides of a
    back-channel call, which the sender's short gap would otherwise split into a POST each, taking CPU
    from the request while it runs. The flow page sorts events by their time, not by arrival."""

    def middleware(request):
        with flowlog.gathered():
            return get_response(request)

    return middleware
