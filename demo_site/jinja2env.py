"""The demo site's Jinja2 environment (as the hosted UI's and the mock Okta's pages): Django's `url` and the
few Django filters its pages use. Jinja2 compiles each template to Python once; Django's template language
walked the profile page's node tree anew on every view (a millisecond of each one)."""

from __future__ import annotations

from functools import lru_cache

from django.template.defaultfilters import pluralize, slugify, truncatechars
from django.urls import get_script_prefix, get_urlconf, reverse
from jinja2 import Environment


def url(name: str, *args) -> str:
    """Django's `{% url %}`. Every page links the same few views (six on the profile page), and Django's
    reverse took 13 us each (4 once kept): an answer is kept per name, arguments, URL conf and script prefix,
    everything reverse's answer depends on."""
    return _reversed(name, args, get_urlconf(), get_script_prefix())


@lru_cache(maxsize=256)
def _reversed(name: str, args: tuple, urlconf, prefix: str) -> str:
    return reverse(name, args=args or None, urlconf=urlconf)


def environment(**options) -> Environment:
    env = Environment(**options)
    env.globals["url"] = url
    env.filters.update(slugify=slugify, pluralize=pluralize, truncatechars=truncatechars)
    return env
