"""Run the portal as in production: gunicorn with the production settings, and the
review worker (django-q2's qcluster) beside it. `make production` runs this.

The settings come from the environment (README, "Settings"): with DEBUG=false the
portal refuses to start without SECRET_KEY and FIELD_ENCRYPTION_KEYS. Static files
are collected first, so WhiteNoise serves them compressed with year-long cache headers.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from portal.processes import stop_processes


class Command(BaseCommand):
    help = "Serve the portal with gunicorn (production settings) and run the review worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, help="gunicorn workers (default: WEB_CONCURRENCY or cores + 1)")
        parser.add_argument("--no-worker", action="store_true", help="do not start the review worker (qcluster)")
        parser.add_argument("--no-collectstatic", action="store_true")
        parser.add_argument("--migrate", action="store_true", help="apply migrations first")

    def handle(self, *args, bind, workers, no_worker, no_collectstatic, migrate, **options):
        if settings.DEBUG:
            raise CommandError("DEBUG is on. Production runs with DEBUG=false (and SECRET_KEY, "
                               "FIELD_ENCRYPTION_KEYS, ALLOWED_HOSTS set); see the README's Settings.")
        if migrate:
            call_command("migrate", interactive=False, verbosity=1)
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        env = {**os.environ, "BIND": bind}
        if workers:
            env["WEB_CONCURRENCY"] = str(workers)
        children = [subprocess.Popen([sys.executable, "-m", "gunicorn", "portal.wsgi"], env=env,
                                     cwd=settings.BASE_DIR)]
        self.stdout.write(f"gunicorn on http://{bind}/ (pid {children[0].pid})")
        if not no_worker:
            children.append(subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=settings.BASE_DIR))
            self.stdout.write(f"review worker: qcluster (pid {children[1].pid})")
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
        try:
            while not stopping and all(child.poll() is None for child in children):
                time.sleep(0.5)
        finally:
            stop_processes(*children)
        failed = [child.args for child in children if child.returncode not in (0, -signal.SIGTERM, None)]
        if failed and not stopping:
            raise CommandError(f"stopped because a process exited: {failed}")
