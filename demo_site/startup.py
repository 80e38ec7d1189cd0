"""What the demo site does once when its WSGI app loads: migrate its database if needed, resolve ids.

The sandbox command's demo part starts before the AWS endpoint serves (sandbox/parts.py): it runs
before_aws() while it waits, so what is left when the AWS API answers is resolve_missing's calls."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from demo_site.resources import resolve_missing


def migrate_if_needed() -> bool:
    """Apply unapplied migrations (a new port's database, or a Django upgrade); True if it migrated."""
    Path(settings.DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    executor = MigrationExecutor(connection)
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return False
    call_command("migrate", interactive=False, verbosity=0)
    return True


@cache
def migrate_once() -> bool:
    """migrate_if_needed, once per process (before_aws, then prepare)."""
    return migrate_if_needed()


def before_aws() -> None:
    """Of the WSGI app's load and its first requests, what needs no AWS answer (Django set up): the
    database migrated, the middleware and the pages' modules imported, the health check's AWS client
    made (botocore reads the service's model: 0.05 s of CPU). The clients resolve_missing uses are made
    when it needs them: the sandbox command hands the demo part what they would find (resources.adopt)."""
    from django.urls import get_resolver  # noqa: PLC0415
    from django.utils.module_loading import import_string  # noqa: PLC0415

    from demo_site import health  # noqa: PLC0415

    migrate_once()
    for middleware in settings.MIDDLEWARE:
        import_string(middleware)
    get_resolver().url_patterns  # noqa: B018  imports the URLconf and every view
    health._cognito()


def prepare() -> None:
    # Nothing here reads last_login; Django's receiver would write it on every sign-in (one more UPDATE).
    user_logged_in.disconnect(dispatch_uid="update_last_login")
    migrate_once()
    resolve_missing(settings)
