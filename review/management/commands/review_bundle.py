"""python manage.py review_bundle PATH [PATH ...] [--format text|json] (bundle-format.md).

A thin wrapper over review.cli (itself over review.engine.run_review, the function the
review pipeline calls). manage.py runs review.cli directly, without Django's start-up;
this command is the same thing for call_command and `django-admin`.
Exit status: the worst of 0 pass, 1 fail, 2 the bundle cannot be read, 3 a check could
not finish.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from review.cli import UNREADABLE, Unreadable, read, review_paths
from review.engine import EngineConfig


class Command(BaseCommand):
    help = "Run every automated review check on connector bundles (folders or .zip files)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, paths, format, **options):
        if len(paths) == 1:
            try:
                read(paths[0])  # one unreadable bundle: Django's usual one-line error, exit 2
            except Unreadable as exc:
                raise CommandError(str(exc), returncode=UNREADABLE)
        code = review_paths(paths, format, EngineConfig.from_settings(), self.stdout, self.stderr)
        if code:
            sys.exit(code)
