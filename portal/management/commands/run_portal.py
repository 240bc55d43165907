"""Serve the portal and one django-q2 worker together, for development.

One command for `make run`: the web server in the foreground, `qcluster` beside it,
both stopped by Ctrl-C.
"""

import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from portal.processes import stop_processes


class Command(BaseCommand):
    help = "Run the development web server and one qcluster worker together."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        # A SIGTERM to this process must stop the worker too, as Ctrl-C does.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        cluster = subprocess.Popen([sys.executable, "manage.py", "qcluster"])
        self.stdout.write(f"Started the review worker (qcluster, pid {cluster.pid}).")
        demo_api = None
        if settings.DEBUG and settings.LIVE_RUN_HOST_MAP:
            # The demo connectors' APIs on loopback, so the demo's beta runs for real (issue 22).
            demo_api = subprocess.Popen([sys.executable, "manage.py", "serve_demo_api"])
        self.stdout.write(f"Portal: http://{addrport}/  (Ctrl-C stops both)")
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            stop_processes(cluster, timeout=15)
            if demo_api is not None:
                stop_processes(demo_api, timeout=5)
