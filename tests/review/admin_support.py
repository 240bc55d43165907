"""Submissions in review, built without running the engine: the admin tests need states, not verdicts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from connectors import services
from review import claims
from review.models import Finding, Phase, PhaseStatus
from review.services import ensure_phases

PROCESS_FINDING = dict(
    rule="no-xmlhttprequest", severity="warning", phase="automated", file="processdata.js", line=3, column=11,
    message="XMLHttpRequest is not available to connectors.", hint="Use httprequest.get() instead.",
)
REQUESTS = [
    {"report": "Deals", "method": "GET", "url": "https://api.example-crm.com/v1/deals", "host": "api.example-crm.com",
     "declared": True, "matched": True},
    {"report": "Deals", "method": "POST", "url": "https://collector.evil.example/x", "host": "collector.evil.example",
     "declared": False, "matched": False},
]


def in_review(connector, user, *, instructions="user: demo / pw: s3cret", visibility="company", human="needs_review"):
    """A submission in review whose machine phases passed and whose human phases are `human`."""
    submission = services.connector_submit(
        connector=connector, user=user, visibility=visibility, instructions=instructions
    )
    services.submission_start_review(submission=submission)
    phases = ensure_phases(submission)
    for name, row in phases.items():
        row.status = human if name in (Phase.SECURITY, Phase.CODE_REVIEW) else PhaseStatus.PASSED
        row.started_at = row.finished_at = timezone.now()
        if name == Phase.AUTOMATED:
            row.details = {"requests": REQUESTS}
        row.save()
    Finding.objects.create(submission=submission, review_phase=phases[Phase.AUTOMATED], **PROCESS_FINDING)
    submission.refresh_from_db()
    return submission


def set_due(submission, days_from_now):
    type(submission).objects.filter(pk=submission.pk).update(due_at=timezone.now() + timedelta(days=days_from_now))


@pytest.fixture
def reviewing(import_connector, alice):
    return in_review(import_connector("sales-crm"), alice)


@pytest.fixture
def staff(django_user_model):
    """Staff, but not a review engineer."""
    return django_user_model.objects.create_user("stan", "stan@example.com", "pw", is_staff=True)


def change_url(submission):
    return f"/admin/connectors/submission/{submission.pk}/change/"



def decision(submission, **data) -> dict:
    """What a form of the submission page posts: `data` and the page's review token, as the
    page draws it now (claim_views.claim_context): a decision without one is refused."""
    return {"review_token": claims.review_token(type(submission).objects.get(pk=submission.pk)), **data}


def post_decision(client, submission, action, *, follow=True, **data):
    """Post `data` to the submission page's `action` ("approve", "waive/3", ...) as its form does."""
    return client.post(f"/admin/connectors/submission/{submission.pk}/{action}/", decision(submission, **data), follow=follow)
