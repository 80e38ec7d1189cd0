"""Send the browser to the demo site's configured host before anything sets a cookie.

Cookies for `127.0.0.1` are not sent to `localhost`, and Cognito accepts only the registered redirect
URI: a sign-in started on another host name would fail at the callback. /health is exempt (health checks
and back-channel callers use service names)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseRedirect


def canonical_host(get_response):
    canonical = urlsplit(settings.DEMO_SITE_URL).netloc

    def middleware(request):
        if (request.method in ("GET", "HEAD") and request.path != "/health"
                and request.get_host() != canonical):
            return HttpResponseRedirect(settings.DEMO_SITE_URL + request.get_full_path())
        return get_response(request)

    return middleware
