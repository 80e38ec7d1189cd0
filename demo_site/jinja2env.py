"""The demo site's Jinja2 environment (as the hosted UI's and the mock Okta's pages): Django's `url` and the
few Django filters its pages use. Jinja2 compiles each template to Python once; Django's template language
walked the profile page's node tree anew on every view (a millisecond of each one)."""

from __future__ import annotations

from django.template.defaultfilters import pluralize, slugify, truncatechars
from django.urls import reverse
from jinja2 import Environment


def url(name: str, *args) -> str:
    return reverse(name, args=args or None)


def environment(**options) -> Environment:
    env = Environment(**options)
    env.globals["url"] = url
    env.filters.update(slugify=slugify, pluralize=pluralize, truncatechars=truncatechars)
    return env
