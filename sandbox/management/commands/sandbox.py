"""`python manage.py sandbox`: start every part on localhost, provision, print the table, serve until Ctrl-C.

manage.py runs it without setting Django up (`main()`): this process only starts the parts (each its own
process, sandbox/runner.py), and Django is the demo site's, set up in the demo site's own process. It
stays a Django command too (`call_command("sandbox")`, `manage.py help sandbox`)."""

import argparse
import os
import signal
import sys
import threading

from sandbox import runner, state
from sandbox.serve import PortInUse

HELP = "Start the whole sandbox (AWS endpoint, mock Okta, Cognito hosted UI, demo site) on localhost."


class Failed(Exception):
    """One line for the user, as Django's CommandError prints it."""


def add_arguments(parser) -> None:
    parser.add_argument("--parts", help="comma-separated subset: aws,okta,cognito,demo (default: all)")
    parser.add_argument("--no-provision", action="store_true", help="do not create the AWS resources")
    parser.add_argument("--fresh", action="store_true",
                        help="start from nothing: wipe this sandbox's saved state first (keeps the signing keys)")
    parser.add_argument("--new-keys", action="store_true", help="with --fresh: new signing keys too")


def run(out, parts=None, no_provision=False, fresh=False, new_keys=False) -> int:
    """Start, serve until SIGINT/SIGTERM (or a part ends by itself), stop; the exit status."""
    names = [p.strip() for p in parts.split(",")] if parts else None
    if new_keys and not fresh:
        raise Failed("--new-keys goes with --fresh")
    if fresh:  # this sandbox's ports only: another sandbox may share the state dir
        removed = state.reset(new_keys=new_keys, ports=state.sandbox_ports())
        out(f"Fresh start: {len(removed)} saved item(s) removed{'' if new_keys else ', signing keys kept'}.")
    try:
        sandbox = runner.start(names, do_provision=not no_provision)
    except (PortInUse, ValueError, runner.PartFailed) as exc:
        raise Failed(str(exc)) from None
    out(runner.summary(sandbox))
    out(f"Sandbox ready in {sandbox.ready_seconds:.2f} s. Ctrl-C stops it.")
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    gone = None
    while not stop.wait(0.5) and gone is None:
        gone = sandbox.exited()  # a part that ended by itself: the sandbox stops, and says so
    if gone is not None:
        sys.stderr.write(f"The {gone.name} part exited with {gone.returncode}: stopping the sandbox.\n")
    out("Stopping the sandbox...")
    sandbox.stop()
    out("Stopped.")
    return 0 if gone is None else 1


def _exit(status: int) -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    # Everything is saved and closed: skip the interpreter's teardown (seconds of CPU on a busy machine).
    os._exit(status)


def main(argv: list[str]) -> None:
    """`manage.py sandbox ...` without Django."""
    parser = argparse.ArgumentParser(prog="manage.py sandbox", description=HELP)
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        status = run(lambda line: print(line, flush=True), **vars(args))
    except Failed as exc:
        sys.stderr.write(f"CommandError: {exc}\n")
        _exit(1)
    _exit(status)


def _command_class():
    from django.core.management.base import BaseCommand, CommandError  # noqa: PLC0415

    class Command(BaseCommand):
        requires_system_checks = []  # start fast; the demo site is checked by its own tests
        help = HELP

        def add_arguments(self, parser):
            add_arguments(parser)

        def handle(self, *args, parts=None, no_provision=False, fresh=False, new_keys=False, **options):
            def out(line):
                self.stdout.write(line)
                self.stdout.flush()

            try:
                status = run(out, parts, no_provision, fresh, new_keys)
            except Failed as exc:
                raise CommandError(str(exc)) from None
            _exit(status)

    return Command


def __getattr__(name: str):
    """Django's `Command`, built when Django asks for it (main() needs no Django)."""
    if name == "Command":
        return _command_class()
    raise AttributeError(name)
