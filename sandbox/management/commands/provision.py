"""`python manage.py provision`: create (or find) every AWS resource of the flow through boto3.

Against the sandbox by default; against a real AWS account with AWS_ENDPOINT_URL set empty.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from sandbox import provision


class Command(BaseCommand):
    requires_system_checks = []  # start fast; the demo site is checked by its own tests
    help = "Create or update the flow's AWS resources (idempotent). AWS_ENDPOINT_URL= targets real AWS."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the resources' ids as JSON")

    def handle(self, *args, **options):
        try:
            resources = provision.provision(log=lambda msg: self.stderr.write(msg))
        except provision.ProvisionError as exc:
            raise CommandError(str(exc)) from None
        if options.get("json"):
            self.stdout.write(json.dumps(resources.as_dict(), indent=2))
        else:
            for key, value in resources.as_dict().items():
                self.stdout.write(f"{key:>22}  {value}")
