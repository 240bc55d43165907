"""Bench: what issue 12 added to pages that are asked for often (SQLite).

    .venv/bin/python bench/status_poll.py [REPEATS]

The status window now stays live for the whole of an open review (a poll every 10 s
while engineers work), the conversation and the sign-offs add rows to it, the editor
reads the last review's findings, and Check now builds a preview of every run. Timed
here, each as a ratio to a baseline measured in the same run (GET /health/ for the
pages, one whole Check now run for the preview), with the queries each page costs:
  1. one poll of the status window's live part: 0 vs 50 messages (+50 history rows),
  2. the editor: no review vs changes requested with 50 findings,
  3. building Check now's preview vs the Check now run it comes from.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.mkdtemp(prefix="bench-status-")
os.environ.update(
    DJANGO_SETTINGS_MODULE="portal.settings",
    SQLITE_PATH=str(Path(WORKDIR) / "bench.sqlite3"),
    Q_SYNC="false",
    LOG_LEVEL="WARNING",
    ALLOWED_HOSTS="testserver,localhost",
    Q_CLUSTER_NAME=f"bench-{os.getpid()}",
)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from connectors import services  # noqa: E402
from connectors.bundle.reader import read_bundle  # noqa: E402
from connectors.models import Company, Membership, ReviewState, Submission  # noqa: E402
from portal.permissions import REVIEW_ENGINEERS_GROUP  # noqa: E402
from review.engine import EngineConfig, run_review  # noqa: E402
from review.engine.preview import runs_preview  # noqa: E402
from review.engine.sandbox import run_scripts  # noqa: E402
from review.engine.scripts import parse_script  # noqa: E402
from review.models import Finding, Message, Phase, PhaseStatus  # noqa: E402
from review.services import ensure_phases  # noqa: E402

REPEATS = int(sys.argv[1]) if len(sys.argv) > 1 else 50
BUNDLE = ROOT / "demo" / "bundles" / "sales-crm"


def timed(client, url, **headers):
    """(ms per request, queries per request) over REPEATS requests."""
    client.get(url, **headers)  # warm: templates, the code viewer cache
    reset_queries()  # a request resets the log at its start; the count must start from 0 too
    with CaptureQueriesContext(connection) as queries:
        client.get(url, **headers)
    started = time.perf_counter()
    for _ in range(REPEATS):
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code)
    return (time.perf_counter() - started) / REPEATS * 1000, len(queries)


def in_review(connector, user):
    submission = services.connector_submit(connector=connector, user=user, visibility="company")
    services.submission_start_review(submission=submission)
    for name, row in ensure_phases(submission).items():
        row.status = PhaseStatus.NEEDS_REVIEW if name in (Phase.SECURITY, Phase.CODE_REVIEW) else PhaseStatus.PASSED
        row.save()
    return Submission.objects.get(pk=submission.pk)


def main():
    call_command("migrate", verbosity=0)
    company = Company.objects.create(name="Bench", slug="bench")
    users = get_user_model().objects
    alice = users.create_user("alice", "alice@example.com", "pw")
    Membership.objects.create(user=alice, company=company)
    erin = users.create_user("erin", "erin@example.com", "pw", is_staff=True)
    erin.groups.add(Group.objects.get_or_create(name=REVIEW_ENGINEERS_GROUP)[0])
    client = Client()
    client.force_login(alice)
    rows = []
    base_ms, base_q = timed(client, "/health/")
    rows.append(("GET /health/ (baseline)", base_ms, base_q))

    quiet = in_review(services.connector_import_bundle(company=company, user=alice, source=BUNDLE), alice)
    busy = in_review(services.connector_import_bundle(company=company, user=alice, source=BUNDLE), alice)
    for i in range(25):
        Message.objects.create(submission=busy, author=erin, author_name="erin", from_engineer=True, body=f"Question {i}?" * 5)
        Message.objects.create(submission=busy, author=alice, author_name="alice", from_engineer=False, body=f"Answer {i}." * 5)
        services.submission_record_milestone(submission=busy, name="reviewer_asked", actor=erin, reason=f"Question {i}?")
        services.submission_record_milestone(submission=busy, name="developer_answered", actor=alice, reason=f"Answer {i}.")
    for label, submission in (("status poll, 0 messages", quiet), ("status poll, 50 messages + 50 history rows", busy)):
        ms, q = timed(client, f"/submissions/{submission.pk}/", HTTP_HX_REQUEST="true")
        rows.append((label, ms, q))

    plain = services.connector_import_bundle(company=company, user=alice, source=BUNDLE)
    reviewed = services.connector_import_bundle(company=company, user=alice, source=BUNDLE)
    submission = in_review(reviewed, alice)
    automated = ensure_phases(submission)[Phase.AUTOMATED]
    Finding.objects.bulk_create([
        Finding(submission=submission, review_phase=automated, rule="bench", severity="warning", phase="automated",
                file="processdata.js", line=1 + i % 30, message=f"Finding {i}", hint="A hint.")
        for i in range(50)
    ])
    services.submission_request_changes(submission=submission, user=None, note="Bench.")
    assert Submission.objects.get(pk=submission.pk).state == ReviewState.CHANGES_REQUESTED
    for label, connector in (("editor, never reviewed", plain), ("editor, changes requested, 50 findings", reviewed)):
        ms, q = timed(client, f"/develop/{connector.pk}/")
        rows.append((label, ms, q))

    print(f"{'page':48} {'ms':>8} {'x baseline':>11} {'queries':>8}")
    for label, ms, q in rows:
        print(f"{label:48} {ms:8.2f} {ms / base_ms:11.1f} {q:8d}")

    # 3. Check now's preview, against the run it is built from.
    bundle = read_bundle(BUNDLE)
    config = EngineConfig.from_settings()
    run_review(bundle, config)  # warm the sandbox workers
    started = time.perf_counter()
    runs = 5
    for _ in range(runs):
        run_review(bundle, config)
    check_ms = (time.perf_counter() - started) / runs * 1000
    roles = {path: role for role, path in bundle.script_paths().items()}
    scripts = [parse_script(p, roles.get(p, "processdata"), t, None) for p, t in bundle.scripts().items()]
    outcomes = run_scripts(bundle, scripts, config)
    started = time.perf_counter()
    for _ in range(1000):
        runs_preview(outcomes)
    preview_ms = (time.perf_counter() - started) / 1000 * 1000
    print(f"\n{'Check now (sales-crm)':48} {'ms':>8} {'x run':>11}")
    print(f"{'one whole Check now run (baseline)':48} {check_ms:8.2f} {1.0:11.4f}")
    print(f"{'building its preview':48} {preview_ms:8.3f} {preview_ms / check_ms:11.4f}")


if __name__ == "__main__":
    main()
