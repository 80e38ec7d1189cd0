"""`python manage.py sandbox`: start every part on localhost, provision, print the table, serve until Ctrl-C."""

import os
import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from sandbox import runner, state
from sandbox.serve import PortInUse


class Command(BaseCommand):
    requires_system_checks = []  # start fast; the demo site is checked by its own tests
    help = "Start the whole sandbox (AWS endpoint, mock Okta, Cognito hosted UI, demo site) on localhost."

    def add_arguments(self, parser):
        parser.add_argument("--parts", help="comma-separated subset: aws,okta,cognito,demo (default: all)")
        parser.add_argument("--no-provision", action="store_true", help="do not create the AWS resources")
        parser.add_argument("--fresh", action="store_true",
                            help="start from nothing: wipe this sandbox's saved state first (keeps the signing keys)")
        parser.add_argument("--new-keys", action="store_true", help="with --fresh: new signing keys too")

    def handle(self, *args, parts=None, no_provision=False, fresh=False, new_keys=False, **options):
        names = [p.strip() for p in parts.split(",")] if parts else None
        if new_keys and not fresh:
            raise CommandError("--new-keys goes with --fresh")
        if fresh:  # this sandbox's ports only: another sandbox may share the state dir
            removed = state.reset(new_keys=new_keys, ports=state.sandbox_ports())
            self.stdout.write(f"Fresh start: {len(removed)} saved item(s) removed"
                              f"{'' if new_keys else ', signing keys kept'}.")
        try:
            sandbox = runner.start(names, do_provision=not no_provision)
        except PortInUse as exc:
            raise CommandError(str(exc)) from None
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(runner.summary(sandbox))
        self.stdout.write(self.style.SUCCESS(f"Sandbox ready in {sandbox.ready_seconds:.2f} s. Ctrl-C stops it."))
        self.stdout.flush()

        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        stop.wait()
        self.stdout.write("Stopping the sandbox...")
        sandbox.stop()
        self.stdout.write("Stopped.")
        self.stdout.flush()
        # Everything is saved and closed: skip the interpreter's teardown of moto's and botocore's object
        # graphs, seconds of CPU that would outlast `docker compose stop`'s grace period on a busy machine.
        os._exit(0)
