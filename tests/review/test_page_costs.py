"""What the pages developers and engineers open most cost in queries, pinned with 1 and
with 50 objects (findings, history rows, parameters, queued submissions), on a first view
and on a view served from the cached part (portal.fragments)."""

import re

import pytest
from django.urls import reverse

from connectors import services
from connectors.models import Connector, Submission, SubmissionEvent
from review.models import Finding, Phase, ReviewPhase
from tests.conftest import approve
from tests.review.admin_support import PROCESS_FINDING, in_review

pytestmark = pytest.mark.usefixtures("empty_cache")
SIZES = [1, 50]


def _page(response):
    """The page without its per-response CSRF token, so two renderings compare equal."""
    return re.sub(r'"X-CSRFToken": "[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _with_findings_and_history(submission, n):
    phase = ReviewPhase.objects.get(submission=submission, phase=Phase.AUTOMATED)
    Finding.objects.bulk_create(
        Finding(submission=submission, review_phase=phase, **{**PROCESS_FINDING, "line": 1 + i % 5}) for i in range(n)
    )
    SubmissionEvent.objects.bulk_create(
        SubmissionEvent(submission=submission, field="state", transition="note", source="in_review",
                        target="in_review", reason=f"event {i}") for i in range(n)
    )
    return submission


@pytest.fixture
def reviewed(import_connector, alice):
    return lambda n: _with_findings_and_history(in_review(import_connector("sales-crm"), alice), n)


# -- status window ------------------------------------------------------------------------

# A first view: session, user, the submission's key columns, then (the content is not
# cached yet) the submission, its phases, their findings (with waivers), the conversation,
# its history; a first version has no earlier approved one to ask for.
STATUS_QUERIES = 8
# Again, nothing changed: session, user, the key columns; the content comes from the cache.
STATUS_QUERIES_CACHED = 3


@pytest.mark.parametrize("n", SIZES)
def test_it_pins_the_status_windows_queries(client, alice, reviewed, n, django_assert_num_queries):
    submission = reviewed(n)
    client.force_login(alice)
    url = reverse("review:status", args=[submission.pk])
    with django_assert_num_queries(STATUS_QUERIES):
        first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(STATUS_QUERIES_CACHED):
        again = client.get(url)
    assert _page(again) == _page(first)


def test_it_reads_a_running_reviews_summary_afresh(client, alice, reviewed):
    submission = reviewed(1)
    client.force_login(alice)
    url = reverse("review:status", args=[submission.pk])
    assert "data-status=\"failed\"" not in client.get(url).content.decode()
    phase = ReviewPhase.objects.get(submission=submission, phase=Phase.SECURITY)
    phase.status = "failed"
    phase.save()  # an engineer's sign-off, the pipeline: a save, so the cached content moves on
    assert "data-status=\"failed\"" in client.get(url).content.decode()


def approve_in_review(submission):
    from review.models import PhaseStatus

    ReviewPhase.objects.filter(submission=submission).update(status=PhaseStatus.PASSED)
    services.submission_approve(submission=Submission.objects.get(pk=submission.pk), user=None)
    return Submission.objects.get(pk=submission.pk)


# -- code viewer ----------------------------------------------------------------------------

# A first view: session, user, the key columns, then the submission and its findings
# (with waivers); a first version has no earlier approved one to ask for.
CODE_QUERIES = 5
CODE_QUERIES_CACHED = 3  # session, user, the key columns


@pytest.mark.parametrize("n", SIZES)
def test_it_pins_the_code_viewers_queries(client, alice, reviewed, n, django_assert_num_queries):
    submission = reviewed(n)
    client.force_login(alice)
    url = reverse("review:code", args=[submission.pk]) + "?file=processdata.js"
    with django_assert_num_queries(CODE_QUERIES):
        first = client.get(url)
    assert first.content.decode().count('<div class="code-finding ') == n + 1  # in_review made one
    with django_assert_num_queries(CODE_QUERIES_CACHED):
        again = client.get(url)
    assert _page(again) == _page(first)


# -- public connector page ------------------------------------------------------------------

# A second view: session, user, the listed row's key; the card comes from the cache
PUBLIC_QUERIES = 3


@pytest.mark.parametrize("n", SIZES)
def test_it_pins_the_public_pages_queries(client, bob, import_connector, alice, n, django_assert_num_queries):
    connector = import_connector("sales-crm")
    params = [{"name": f"Param {i}", "type": "string", "help": "h"} for i in range(n)]
    Connector.objects.filter(pk=connector.pk).update(parameters=params, reports=[f"Report {i}" for i in range(n)])
    connector.refresh_from_db()
    submission = approve(services.connector_submit(connector=connector, user=alice, visibility="public"))
    client.force_login(bob)
    url = reverse("submissions:public_connector", args=[submission.pk])
    first = _page(client.get(url))
    assert "Param 0" in first
    with django_assert_num_queries(PUBLIC_QUERIES):
        assert _page(client.get(url)) == first


def test_it_stops_serving_a_cached_card_once_a_newer_version_is_listed(client, bob, public_approved, alice):
    url = reverse("submissions:public_connector", args=[public_approved.pk])
    client.force_login(bob)
    assert client.get(url).status_code == 200
    newer = approve(services.connector_submit(connector=public_approved.connector, user=alice, visibility="public"))
    assert client.get(url).status_code == 404
    assert client.get(reverse("submissions:public_connector", args=[newer.pk])).status_code == 200


# -- admin review queue ---------------------------------------------------------------------

# Every view (Django's ChangeList, not cached): session, user, the engineers' group, the
# filtered count, a page of rows with connector and company, their phases, and the
# "Recently auto-approved" list above it (one query, whatever its length). No permission
# queries: the admin has no sidebar and builds its app list only where a page shows it
# (portal.admin_site). And how many contests wait for an answer (review.contests: their
# submissions are out of the open queue), one count.
QUEUE_QUERIES = 8


@pytest.mark.parametrize("n", SIZES)
def test_it_pins_the_review_queues_queries(client, erin, alice, import_connector, n, django_assert_num_queries):
    template = in_review(import_connector("sales-crm"), alice)
    for i in range(n - 1):
        connector = Connector.objects.create(company=template.connector.company, name=f"Queued {i}")
        copy = Submission.objects.create(
            connector=connector, number=1, bundle=b"", content_hash="h", manifest={}, visibility="company",
            state="in_review", name=connector.name, due_at=template.due_at,
        )
        ReviewPhase.objects.bulk_create(ReviewPhase(submission=copy, phase=p) for p in Phase.values)
    client.force_login(erin)
    with django_assert_num_queries(QUEUE_QUERIES) as queries:
        first = client.get("/admin/connectors/submission/")
    assert first.content.decode().count('class="field-submission"') == n
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    # Only the shown columns: not the snapshot's scripts, the draft's, nor the phases' details.
    for column in ("processdata_script", '"details"', '"scripts"', '"manifest"', '"bundle"'):
        assert column not in sql, column
    with django_assert_num_queries(QUEUE_QUERIES):
        again = client.get("/admin/connectors/submission/")
    assert _page(again) == _page(first)


def test_it_forgets_an_ended_reviews_cached_summary_when_a_waiver_changes(client, alice, erin, reviewed,
                                                                         django_capture_on_commit_callbacks):
    from review.waivers import waiver_grant, waiver_revoke

    submission = approve_in_review(reviewed(1))
    client.force_login(alice)
    status = reverse("review:status", args=[submission.pk])
    assert 'data-testid="waived"' not in client.get(status).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        waiver = waiver_grant(finding=Finding.objects.filter(submission=submission).first(), engineer=erin,
                              reason="False positive: the call is in a comment.")
    assert 'data-testid="waived"' in client.get(status).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        waiver_revoke(waiver=waiver, engineer=erin)
    assert "(waiver revoked since)" in client.get(status).content.decode()
