"""A real `manage.py qcluster` reviews a submission, and survives a worker killed mid-run.

The cluster is a subprocess on the same database (a SQLite file, or the PostgreSQL test
database) with the same broker (ORM, or Redis when REDIS_URL is set), under a cluster
name of its own so parallel runs never share a queue. This process enqueues for it by
switching django-q2's Conf to that name and out of sync mode.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_q.conf import Conf
from django_q.models import Schedule

from connectors import services
from connectors.models import ReviewState, Submission
from portal.processes import stop_processes
from review.models import Phase, PhaseStatus, ReviewPhase

pytestmark = [pytest.mark.qcluster, pytest.mark.django_db(transaction=True)]

BUNDLES = Path(__file__).resolve().parents[1] / "fixtures" / "bundles"
# Short enough for a test, and retry > timeout as django-q2 requires: a killed
# worker's task comes back (ORM broker) after Q_RETRY, and a run older than Q_TIMEOUT
# counts as dead. The review's runs get 3/4 of Q_TIMEOUT: on a busy 2-core machine
# (the suite runs in two processes beside the cluster's) 6 s of wall clock was too few.
Q_TIMEOUT, Q_RETRY = 12, 16


def _database_env() -> dict:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"SQLITE_PATH": db["NAME"], "DATABASE_URL": ""}
    return {
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    }


class Cluster:
    def __init__(self, log: Path, name: str):
        self.log, self.name = log, name
        env = {
            **os.environ,
            **_database_env(),
            "DJANGO_SETTINGS_MODULE": "portal.test_settings",
            "Q_CLUSTER_NAME": name,
            "Q_SYNC": "false",
            "Q_WORKERS": "2",
            "Q_TIMEOUT": str(Q_TIMEOUT),
            "Q_RETRY": str(Q_RETRY),
            # The most of Q_TIMEOUT a review's runs may take (portal/settings.py): the slow
            # bundle needs seconds of CPU on a busy machine.
            "REVIEW_WALL_SECONDS": str(Q_TIMEOUT * 0.75),
        }
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=settings.BASE_DIR, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        )

    def output(self, lines=60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def wait_until(self, condition, timeout, what):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"qcluster exited ({self.process.returncode}):\n{self.output()}"
            value = condition()
            if value:
                return value
            time.sleep(0.05)
        pytest.fail(f"Waited {timeout} s for {what}. qcluster log:\n{self.output()}")

    def wait_ready(self):
        self.wait_until(lambda: "running." in self.log.read_text(errors="replace"), 30, "the cluster to start")

    def stop(self):
        stop_processes(self.process, timeout=20)


@pytest.fixture
def cluster(tmp_path, monkeypatch):
    name = f"portal-test-{uuid.uuid4().hex[:10]}"
    # This process enqueues for that cluster: its queue name, its signing salt, no sync mode.
    monkeypatch.setattr(Conf, "SYNC", False)
    monkeypatch.setattr(Conf, "CLUSTER_NAME", name)
    monkeypatch.setattr(Conf, "PREFIX", name)
    running = Cluster(tmp_path / "qcluster.log", name)
    try:
        running.wait_ready()
        yield running
    finally:
        running.stop()


def automated_phase(submission_id):
    return ReviewPhase.objects.filter(submission_id=submission_id, phase=Phase.AUTOMATED).first()


def finished(submission_id):
    phase = automated_phase(submission_id)
    return phase if phase and phase.status in (PhaseStatus.PASSED, PhaseStatus.FAILED) else None


def test_it_reviews_a_submitted_sample_with_a_real_cluster(cluster, acme, alice):
    connector = services.connector_import_bundle(company=acme, user=alice, source=BUNDLES / "sales-crm")

    started = time.monotonic()
    submission = services.connector_submit(connector=connector, user=alice, visibility="company")
    cluster.wait_until(lambda: finished(submission.pk), 30, "the automated phases to finish")
    elapsed = time.monotonic() - started

    print(f"\nsubmit-to-verdict with a real qcluster ({connection.vendor}, "
          f"{'Redis' if settings.REDIS_URL else 'ORM'} broker): {elapsed:.2f} s")
    submission = Submission.objects.get(pk=submission.pk)
    statuses = dict(submission.phases.values_list("phase", "status"))
    assert statuses == {
        Phase.AUTOMATED: PhaseStatus.PASSED,
        Phase.SECURITY: PhaseStatus.NEEDS_REVIEW,
        Phase.PERFORMANCE: PhaseStatus.PASSED,
        Phase.CODE_REVIEW: PhaseStatus.NEEDS_REVIEW,
    }, cluster.output()
    assert submission.state == ReviewState.IN_REVIEW
    assert not submission.findings.filter(severity="error").exists()


# What the samples' README says the automated review gives each bundle.
SAMPLE_RESULTS = {
    "sales-crm": ("pass", None),
    "sales-crm-xhr": ("fail", "no-xmlhttprequest"),
    "sales-crm-hardcoded-password": ("fail", "hardcoded-credential"),
    "sales-crm-exfiltration": ("fail", "external-request"),
    "sales-crm-minified": ("fail", "minified-code"),
    "oauth2-tasks": ("pass", None),
    "workspaces-discovery": ("pass", None),
}


def test_it_gives_every_sample_submitted_through_the_api_its_result(cluster, acme, alice):
    from django.test import Client

    from api.services import api_token_create
    from connectors.bundle.reader import read_bundle
    from connectors.bundle.writer import write_bundle_zip

    _token, secret = api_token_create(user=alice, name="ci")
    client, auth = Client(), {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    submitted = {}
    for name in SAMPLE_RESULTS:
        upload = write_bundle_zip(read_bundle(BUNDLES / name))
        created = client.post("/api/v1/connectors", {"bundle": _named(upload)}, **auth)
        assert created.status_code == 201, created.content
        started = time.monotonic()
        answer = client.post(
            f"/api/v1/connectors/{created.json()['id']}/submit",
            {"visibility": "company", "instructions": "Test login: reviewer@example.com / sample-only"},
            content_type="application/json",
            **auth,
        )
        assert answer.status_code == 201, answer.content
        submitted[name] = (answer.json()["id"], started)

    verdict_after = {}
    for name, (submission_id, started) in submitted.items():
        cluster.wait_until(lambda: finished(submission_id), 60, f"the review of {name}")
        verdict_after[name] = time.monotonic() - started
        detail = client.get(f"/api/v1/submissions/{submission_id}", **auth).json()
        automated = next(p for p in detail["phases"] if p["phase"] == "automated")
        errors = {f["rule"] for p in detail["phases"] for f in p["findings"] if f["severity"] == "error"}
        verdict, rule = SAMPLE_RESULTS[name]
        if verdict == "pass":
            assert (automated["status"], detail["state"], errors) == ("passed", "in_review", set()), (name, detail)
        else:
            assert automated["status"] == "failed" and detail["state"] == "changes_requested", (name, detail)
            assert rule in errors, (name, errors)
    print("\nsubmit-to-verdict through the API with a real qcluster "
          f"({connection.vendor}, {'Redis' if settings.REDIS_URL else 'ORM'} broker, 7 samples queued at once): "
          + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in verdict_after.items()))


def _named(data: bytes):
    import io

    upload = io.BytesIO(data)
    upload.name = "bundle.zip"
    return upload


@pytest.fixture
def slow_bundle(tmp_path):
    """sales-crm with a few seconds of CPU in processdata, so a run can be caught mid-way."""
    bundle = tmp_path / "sales-crm-slow"
    shutil.copytree(BUNDLES / "sales-crm", bundle)
    script = bundle / "processdata.js"
    busy = "var spin = 0;\nfor (var i = 0; i < 150000000; i++) {\n  spin = (spin + i) % 7;\n}\n"
    script.write_text(busy + script.read_text())
    return bundle


def test_it_finishes_the_review_after_its_worker_is_killed_mid_run(cluster, acme, alice, slow_bundle):
    # The reconciler is what saves a run on the Redis broker (a popped task is gone);
    # make it due so the cluster's scheduler runs it on its next pass.
    Schedule.objects.update_or_create(
        name="Re-queue stuck review runs",
        defaults={"func": "review.tasks.reconcile_reviews", "schedule_type": Schedule.MINUTES, "minutes": 1, "repeats": -1},
    )
    connector = services.connector_import_bundle(company=acme, user=alice, source=slow_bundle)
    submission = services.connector_submit(connector=connector, user=alice, visibility="company")

    running = cluster.wait_until(
        lambda: (p := automated_phase(submission.pk)) and p.status == PhaseStatus.RUNNING and p,
        20,
        "the automated phase to start",
    )
    worker_pid = running.details["worker"]["pid"]
    assert worker_pid != cluster.process.pid
    os.kill(worker_pid, signal.SIGKILL)
    killed_at = time.monotonic()

    phase = cluster.wait_until(lambda: finished(submission.pk), 75, "the killed run to be retried and finish")

    print(f"\nworker {worker_pid} killed; the review finished {time.monotonic() - killed_at:.1f} s later "
          f"on attempt {phase.attempts}")
    assert phase.status == PhaseStatus.PASSED, cluster.output()
    assert phase.attempts >= 2
    assert phase.details["worker"]["pid"] != worker_pid
    assert Submission.objects.get(pk=submission.pk).state == ReviewState.IN_REVIEW
    assert submission.events.filter(transition="start_review").count() == 1
