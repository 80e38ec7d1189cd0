"""`python manage.py reset`: wipe what users made (`make reset`); the signing keys stay unless --new-keys."""

from django.core.management.base import BaseCommand

from sandbox import state
from sandbox.config import settings


class Command(BaseCommand):
    requires_system_checks = []
    help = ("Wipe the sandbox's saved state in SANDBOX_STATE_DIR (users, records, resources, sessions, flows); "
            "stop the sandbox first. Keeps the signing keys unless --new-keys.")

    def add_arguments(self, parser):
        parser.add_argument("--new-keys", action="store_true", help="also drop the signing keys (Okta's, Cognito's)")

    def handle(self, *args, new_keys=False, **options):
        removed = state.reset(new_keys=new_keys)
        kept = "" if new_keys else "; signing keys kept"
        self.stdout.write(f"Reset {settings().state_dir}: {len(removed)} item(s) removed{kept}.")
