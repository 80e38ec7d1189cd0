"""The demo site's WSGI app: Django set up, its sqlite database migrated when needed, and the Cognito ids
and API URL the environment left empty found by name through the AWS API (the sandbox provisions first)."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo_site.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402 (the settings module must be set first)

application = get_wsgi_application()

from demo_site.startup import prepare  # noqa: E402 (needs Django set up)

prepare()
