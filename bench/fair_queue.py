"""Fair queue: one developer's slow (hostile) reviews must not delay another's.

For each broker (django-q2's ORM broker, then Redis when a server answers on
127.0.0.1:6379), on a throw-away SQLite database with one `manage.py qcluster` of 2
workers: the time from Submit to an honest connector's verdict on an idle queue, then
again when one developer submitted 2 hostile, slow connectors (endless loops: each
review spends its whole CPU budget) just before it. Prints both and their ratio; the
honest verdict should arrive within 2x its idle time.

    .venv/bin/python bench/fair_queue.py [--broker orm|redis]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# Small limits keep the bench short; a hostile review still takes several times an honest one.
LIMITS = {"SANDBOX_CPU_SECONDS": "3", "REVIEW_CPU_SECONDS": "6", "SANDBOX_WORKERS": "2"}
HOSTILE_SCRIPT = "while (true) {}\n"


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def environment(broker: str, folder: Path) -> dict:
    env = {**os.environ, **LIMITS, "DJANGO_SETTINGS_MODULE": "portal.settings", "DEBUG": "true",
           "DATABASE_URL": "", "SQLITE_PATH": str(folder / "bench.sqlite3"), "CACHE_DIR": str(folder / "cache"),
           "Q_CLUSTER_NAME": f"fairbench-{uuid.uuid4().hex[:8]}", "Q_WORKERS": "2", "Q_SYNC": "false",
           "REDIS_URL": "redis://127.0.0.1:6379/12" if broker == "redis" else ""}
    return env


def measure(broker: str) -> tuple[float, float]:
    """In this process, with the environment set by main(): (idle seconds, contested seconds)."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from connectors import services
    from connectors.models import Company, Connector, Membership
    from review.models import Phase, PhaseStatus, ReviewPhase

    call_command("migrate", verbosity=0)
    users = {}
    for name in ("mallory", "honest"):
        company = Company.objects.create(name=name.title(), slug=name)
        user = get_user_model().objects.create_user(name, f"{name}@example.com", "pw")
        Membership.objects.create(user=user, company=company)
        users[name] = (user, company)
    folder = Path(tempfile.mkdtemp(prefix="fairbench-bundle-"))
    hostile = folder / "hostile"
    shutil.copytree(ROOT / "demo" / "bundles" / "sales-crm", hostile)
    (hostile / "processdata.js").write_text(HOSTILE_SCRIPT)

    def connector(who, source, name):
        user, company = users[who]
        made = services.connector_import_bundle(company=company, user=user, source=source)
        Connector.objects.filter(pk=made.pk).update(name=name)
        return Connector.objects.get(pk=made.pk)

    def submit(who, source, name):
        return services.connector_submit(connector=connector(who, source, name), user=users[who][0],
                                         visibility="company").pk

    def verdict_after(submission_id, since, timeout=300):
        done = (PhaseStatus.PASSED, PhaseStatus.FAILED, PhaseStatus.NEEDS_REVIEW)
        while time.monotonic() - since < timeout:
            if ReviewPhase.objects.filter(submission_id=submission_id, phase=Phase.AUTOMATED, status__in=done).exists():
                return time.monotonic() - since
            time.sleep(0.05)
        raise SystemExit(f"no verdict for submission {submission_id} in {timeout} s")

    honest = ROOT / "demo" / "bundles" / "sales-crm"
    cluster = subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=ROOT, env=os.environ,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(2):  # warm up both workers at once: their sandbox pools started, code loaded
            started = time.monotonic()
            for pk in [submit("honest", honest, f"Warm-up {uuid.uuid4().hex[:6]}") for _ in range(2)]:
                verdict_after(pk, started)
        idle = []
        for i in range(3):
            started = time.monotonic()
            idle.append(verdict_after(submit("honest", honest, f"Idle {i}"), started))
        idle_seconds = sorted(idle)[1]
        hostile_ids = [submit("mallory", hostile, f"Hostile {i}") for i in range(2)]
        started = time.monotonic()
        contested_id = submit("honest", honest, "Contested")
        contested = verdict_after(contested_id, started)
        phase = ReviewPhase.objects.get(submission_id=contested_id, phase=Phase.AUTOMATED)
        waited = (phase.started_at - phase.submission.submitted_at).total_seconds()
        print(f"  the contested honest review waited {waited:.2f} s for a worker, its run took "
              f"{phase.details['timings']['total']:.2f} s", flush=True)
        hostile_done = [verdict_after(pk, started) for pk in hostile_ids]
        print(f"  hostile reviews' verdicts after {hostile_done[0]:.1f} s and {hostile_done[1]:.1f} s", flush=True)
        return idle_seconds, contested
    finally:
        from portal.processes import stop_processes

        stop_processes(cluster)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--broker", choices=("orm", "redis"))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        idle, contested = measure(args.broker)
        print(f"  honest verdict: {idle:.2f} s on an idle queue, {contested:.2f} s behind 2 hostile reviews "
              f"({contested / idle:.2f}x)", flush=True)
        sys.exit(0 if contested <= 2 * idle else 1)
    brokers = [args.broker] if args.broker else ["orm"] + (["redis"] if redis_answers() else [])
    failed = []
    for broker in brokers:
        print(f"{broker} broker, 2 workers, limits {LIMITS}:", flush=True)
        with tempfile.TemporaryDirectory(prefix="fairbench-") as folder:
            run = subprocess.run([sys.executable, __file__, "--broker", broker, "--child"], cwd=ROOT,
                                 env=environment(broker, Path(folder)))
        if run.returncode:
            failed.append(broker)
    if failed:
        sys.exit(f"the honest verdict took more than 2x its idle time on: {', '.join(failed)}")


if __name__ == "__main__":
    main()
