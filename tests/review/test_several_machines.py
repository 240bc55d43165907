"""Two review worker machines (two `manage.py qcluster` processes) on one Redis broker and one
PostgreSQL: every submission is reviewed exactly once, even when one machine dies mid-review
(SIGKILL of its whole process group) and a sandbox worker of the other is killed.

Runs on CI's PostgreSQL + Redis pass (skipped otherwise). Each run has a cluster name of its
own (its own Redis queue), so parallel runs never share work. SUBMISSIONS (env
SEVERAL_MACHINES_SUBMISSIONS, default 100) is how many are reviewed.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count, Q
from django_q.brokers import get_broker
from django_q.conf import Conf

from connectors import services
from connectors.models import Connector, SubmissionEvent
from portal.processes import stop_processes
from review.models import Finding, Phase, PhaseStatus, ReviewPhase
from review.pipeline import jobs

pytestmark = [pytest.mark.qcluster, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BUNDLES = Path(__file__).resolve().parents[1] / "fixtures" / "bundles"
SUBMISSIONS = int(os.environ.get("SEVERAL_MACHINES_SUBMISSIONS", "100"))
# A killed machine's runs count as dead after Q_TIMEOUT; the review's own wall clock stays
# well below it (portal/settings.py refuses otherwise).
Q_TIMEOUT, Q_RETRY, REVIEW_WALL = 15, 25, 10
VERDICTS = ("checks_passed", "fail_checks")
OUR_CRASH_RULES = ("runtime-error", "data-exfiltration", "timeout")


@pytest.fixture(autouse=True)
def _needs_postgres_and_redis():
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("two machines share PostgreSQL and a Redis broker (CI's second pass sets both)")


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Machine:
    """One qcluster in a process group (a session) of its own, as on its own machine."""

    def __init__(self, log: Path, name: str):
        self.log = log
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.test_settings", "DATABASE_URL": _database_url(),
               "Q_CLUSTER_NAME": name, "Q_SYNC": "false", "Q_WORKERS": "2", "Q_TIMEOUT": str(Q_TIMEOUT),
               "Q_RETRY": str(Q_RETRY), "REVIEW_WALL_SECONDS": str(REVIEW_WALL), "SANDBOX_WORKERS": "1"}
        self.process = subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=settings.BASE_DIR, env=env,
                                        stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)

    def output(self, lines=40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def ready(self) -> bool:
        return "running." in self.log.read_text(errors="replace")

    def pids(self) -> set[int]:
        """Every process of this machine: the cluster, its workers, their sandbox workers."""
        group = os.getpgid(self.process.pid)
        found = set()
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if os.getpgid(int(entry.name)) == group:
                        found.add(int(entry.name))
                except ProcessLookupError:
                    continue
        return found

    def sandbox_workers(self) -> list[int]:
        workers = []
        for pid in self.pids():
            try:
                if b"review.engine.sandbox_worker" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    workers.append(pid)
            except OSError:
                continue
        return workers

    def kill_all(self):
        os.killpg(os.getpgid(self.process.pid), signal.SIGKILL)
        self.process.wait(timeout=10)


def _wait(condition, timeout, what, machines):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    logs = "\n---\n".join(m.output() for m in machines)
    pytest.fail(f"Waited {timeout} s for {what}.\n{logs}")


def _copy(connector: Connector, name: str) -> Connector:
    """Another connector with the same content (faster than importing the bundle again)."""
    files = list(connector.files.all())
    connector = Connector.objects.get(pk=connector.pk)
    connector.pk, connector.name = None, name
    connector.save()
    for file in files:
        file.pk, file.connector = None, connector
        file.save()
    return connector


def _verdicts():
    return SubmissionEvent.objects.filter(transition__in=VERDICTS)


def test_two_machines_review_each_submission_once_and_survive_a_machine_killed_mid_review(
        tmp_path, monkeypatch, settings, acme, alice):
    name = f"machines-{uuid.uuid4().hex[:10]}"
    monkeypatch.setattr(Conf, "SYNC", False)
    monkeypatch.setattr(Conf, "CLUSTER_NAME", name)
    monkeypatch.setattr(Conf, "PREFIX", name)
    # The reconciler runs here, with the machines' timeout.
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "timeout": Q_TIMEOUT, "retry": Q_RETRY}
    started = time.monotonic()
    machines = [Machine(tmp_path / f"machine-{i}.log", name) for i in range(2)]
    try:
        _wait(lambda: all(m.ready() for m in machines), 60, "both machines to start", machines)
        source = services.connector_import_bundle(company=acme, user=alice, source=BUNDLES / "sales-crm")
        submission_ids = []
        for i in range(SUBMISSIONS):
            connector = _copy(source, f"CRM {i}")
            submission_ids.append(services.connector_submit(connector=connector, user=alice, visibility="company").pk)
        submitted = time.monotonic()

        # Machine 1 dies, whole, while it runs reviews: its running ones and the ones it had
        # taken from the queue are lost with it.
        victim, survivor = machines[1], machines[0]
        victim_pids = victim.pids()

        def victim_is_reviewing():
            running = ReviewPhase.objects.filter(phase=Phase.AUTOMATED, status=PhaseStatus.RUNNING)
            return any(p.details.get("worker", {}).get("pid") in victim_pids for p in running)

        _wait(victim_is_reviewing, 60, "machine 1 to be running a review", machines)
        victim.kill_all()
        killed_running = ReviewPhase.objects.filter(phase=Phase.AUTOMATED, status=PhaseStatus.RUNNING).count()

        # A sandbox worker of the surviving machine dies too (OOM killer, operator): the run it
        # had is retried on a fresh worker and never blamed on the connector.
        sandbox = _wait(survivor.sandbox_workers, 30, "a sandbox worker on machine 0", machines)
        os.kill(sandbox[0], signal.SIGKILL)

        # The reconciler (a scheduled job in production) re-queues what nobody is doing:
        # runs of the dead machine once they are older than the task timeout, and submits
        # whose task was lost with it once the queue has drained.
        monkeypatch.setattr(jobs, "LOST_SUBMIT_AFTER", timedelta(0))
        broker = get_broker(name)
        done = (PhaseStatus.PASSED, PhaseStatus.FAILED)

        reconciled = [0.0]

        def all_reviewed():
            finished = ReviewPhase.objects.filter(submission_id__in=submission_ids, phase=Phase.AUTOMATED,
                                                  status__in=done).count()
            if finished == SUBMISSIONS:
                return True
            if broker.queue_size() == 0 and time.monotonic() - reconciled[0] > 2:
                reconciled[0] = time.monotonic()
                jobs.reviews_reconcile()
            return False

        _wait(all_reviewed, 180, "every review to finish", [survivor])
        took = time.monotonic() - started
        assert survivor.process.poll() is None, survivor.output()

        # Exactly once: one verdict each, nothing running, nothing blamed on the connector.
        per_submission = dict(_verdicts().filter(submission_id__in=submission_ids)
                              .values_list("submission_id").annotate(n=Count("pk")))
        assert sorted(per_submission) == sorted(submission_ids)
        assert set(per_submission.values()) == {1}, {k: v for k, v in per_submission.items() if v != 1}
        assert not ReviewPhase.objects.filter(status=PhaseStatus.RUNNING).exists()
        assert ReviewPhase.objects.filter(submission_id__in=submission_ids, phase=Phase.AUTOMATED,
                                          status=PhaseStatus.PASSED).count() == SUBMISSIONS
        blamed = Finding.objects.filter(submission_id__in=submission_ids).filter(
            Q(rule__in=OUR_CRASH_RULES) | Q(severity="error"))
        assert not blamed.exists(), list(blamed.values_list("submission_id", "rule", "message")[:5])
        retried = ReviewPhase.objects.filter(submission_id__in=submission_ids, phase=Phase.AUTOMATED,
                                             attempts__gt=1).count()
        print(f"\n{SUBMISSIONS} submissions on two machines, one killed with {killed_running} runs in flight: "
              f"all reviewed once in {took:.1f} s (submitting took {submitted - started:.1f} s), "
              f"{retried} runs taken over after the kill")
    finally:
        stop_processes(*(m.process for m in machines), timeout=20)
        for machine in machines:
            try:
                os.killpg(os.getpgid(machine.process.pid), signal.SIGKILL)
            except ProcessLookupError:
                pass
