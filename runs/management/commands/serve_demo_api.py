"""Serve the demo connectors' APIs on loopback, so the demo's beta runs for real (`make run`).

For every LIVE_RUN_HOST_MAP pair whose host a demo bundle declares, the bundle's samples
are served on the mapped port (runs/demo_api.py). Development only: it refuses to start
with DEBUG off, as the host map itself is refused then.
"""

import threading
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from connectors.bundle.reader import read_bundle
from runs.demo_api import DemoApi
from runs.egress.host_map import parse_host_map


class Command(BaseCommand):
    help = "Serve the demo bundles' samples as local APIs on the ports LIVE_RUN_HOST_MAP names (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("--bundles", default=str(Path(settings.BASE_DIR) / "demo" / "bundles"))

    def handle(self, *args, bundles, **options):
        if not settings.DEBUG:
            raise CommandError("serve_demo_api runs only with DEBUG on.")
        mapping = parse_host_map(settings.LIVE_RUN_HOST_MAP)
        if not mapping:
            raise CommandError("Set LIVE_RUN_HOST_MAP, e.g. crm.example-sales.com=127.0.0.1:8001")
        # The shortest folder name declaring a host is its plain example (sales-crm, not sales-crm-xhr).
        folders = sorted((p for p in Path(bundles).iterdir() if (p / "connector.json").exists()),
                         key=lambda p: (len(p.name), p.name))
        servers = []
        for host, target in mapping.items():
            for folder in folders:
                bundle = read_bundle(folder)
                if host in [str(h).lower() for h in bundle.manifest.get("hosts") or []]:
                    address, _, port = target.rpartition(":")
                    servers.append(DemoApi(bundle.manifest, bundle.files, port=int(port)).start())
                    self.stdout.write(f"Demo API for {host} ({folder.name}) on http://{target}/")
                    break
        if not servers:
            raise CommandError("No demo bundle declares a host of LIVE_RUN_HOST_MAP.")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        finally:
            for server in servers:
                server.close()
