"""What the demo site does once when its WSGI app loads: migrate its database if needed, resolve ids."""

from __future__ import annotations

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


def prepare() -> None:
    # Nothing here reads last_login; Django's receiver would write it on every sign-in (one more UPDATE).
    user_logged_in.disconnect(dispatch_uid="update_last_login")
    migrate_if_needed()
    resolve_missing(settings)
