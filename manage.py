#!/usr/bin/env python
"""Django's command-line utility; also `sandbox` (start everything) and `provision` (create AWS resources)."""

import os
import sys


def main():
    if sys.argv[1:2] == ["sandbox"]:  # starts the parts' processes; Django is set up in the demo site's own
        import gc

        gc.disable()  # while its imports run too; sandbox/runner.py's start says why, and enables it again
        from sandbox.management.commands.sandbox import main as sandbox

        sandbox(sys.argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo_site.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
