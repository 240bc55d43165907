"""Bench: 10,000 active betas past their expiry, expired by one run of the job (SQLite).

    .venv/bin/python bench/expire_betas.py [N]

Builds a fresh SQLite file database (WAL, IMMEDIATE transactions: the portal's
settings), creates N expired-but-active betas, then times:
  1. one run of review.pipeline.jobs.betas_expire_due (history rows + email tasks queued on the ORM broker),
  2. two runs started at the same moment in two threads over another N betas
     (the overlap case: each beta must be expired once, with one history row),
  3. sending the queued emails of one chunk (locmem backend), per email.
"""

import os
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.mkdtemp(prefix="bench-expire-")
os.environ.update(
    DJANGO_SETTINGS_MODULE="portal.settings",
    SQLITE_PATH=str(Path(WORKDIR) / "bench.sqlite3"),
    Q_SYNC="false",
    LOG_LEVEL="WARNING",
    Q_CLUSTER_NAME=f"bench-{os.getpid()}",
)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from connectors import services  # noqa: E402
from connectors.models import BetaState, Company, Membership, ReviewState, Submission, SubmissionEvent  # noqa: E402
from review import tasks  # noqa: E402
from review.pipeline import jobs  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000


def make_betas(connector, first_number, n):
    past = timezone.now() - timedelta(minutes=5)
    rows = [
        Submission(
            connector=connector, number=first_number + i, bundle=b"", content_hash="0" * 64, manifest={},
            visibility="company", state=ReviewState.IN_REVIEW, beta_state=BetaState.ACTIVE,
            beta_token=f"bench-{first_number + i}", beta_expires_at=past, submitted_at=past,
        )
        for i in range(n)
    ]
    Submission.objects.bulk_create(rows, batch_size=1000)
    return list(Submission.objects.filter(connector=connector, number__gte=first_number).values_list("pk", flat=True))


def main():
    call_command("migrate", verbosity=0)
    company = Company.objects.create(name="Bench", slug="bench")
    user = get_user_model().objects.create_user("bench", "bench@example.com", "pw")
    Membership.objects.create(user=user, company=company)
    connector = services.connector_import_bundle(company=company, user=user, source=ROOT / "demo" / "bundles" / "sales-crm")
    from django_q.models import OrmQ

    print(f"SQLite {connection.Database.sqlite_version}, database {os.environ['SQLITE_PATH']}")

    # 1. One run.
    make_betas(connector, 1, N)
    started = time.perf_counter()
    expired = jobs.betas_expire_due()
    one_run = time.perf_counter() - started
    events = SubmissionEvent.objects.filter(transition="expire").count()
    print(f"one run: {expired} betas expired in {one_run:.2f} s ({expired / one_run:,.0f}/s); "
          f"{events} history rows; {OrmQ.objects.count()} email tasks queued")
    assert expired == N == events

    # 2. Two overlapping runs, each in its own thread and database connection.
    ids = make_betas(connector, N + 1, N)
    results, barrier = {}, threading.Barrier(2)

    def run(label):
        barrier.wait()
        t = time.perf_counter()
        results[label] = (jobs.betas_expire_due(), time.perf_counter() - t)
        connections.close_all()

    threads = [threading.Thread(target=run, args=(label,)) for label in ("A", "B")]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    both = time.perf_counter() - started
    per_beta = SubmissionEvent.objects.filter(submission_id__in=ids, transition="expire").count()
    still_active = Submission.objects.filter(pk__in=ids, beta_state=BetaState.ACTIVE).count()
    print(f"two overlapping runs: A expired {results['A'][0]} in {results['A'][1]:.2f} s, "
          f"B expired {results['B'][0]} in {results['B'][1]:.2f} s, {both:.2f} s wall; "
          f"{per_beta} history rows for {len(ids)} betas, {still_active} left active")
    assert results["A"][0] + results["B"][0] == N == per_beta and still_active == 0

    # 3. The emails of one chunk.
    chunk = list(SubmissionEvent.objects.filter(transition="expire").order_by("pk").values_list("pk", flat=True)[: jobs.CHUNK])
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        started = time.perf_counter()
        sent = tasks.send_event_emails(chunk)
        took = time.perf_counter() - started
    print(f"emails: {sent} 'beta expired' emails of one chunk sent in {took:.2f} s ({took / max(sent, 1) * 1000:.1f} ms each)")


if __name__ == "__main__":
    main()
