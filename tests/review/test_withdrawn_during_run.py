"""A review withdrawn while the machine runs: the run still stores its phases afterwards
(review.services._store), and the status window must show them, not "Running"."""

import pytest
from django.urls import reverse

from connectors import services
from connectors.bundle.reader import read_bundle
from review import services as review_services
from review.engine import EngineConfig, run_review
from review.models import Phase, PhaseStatus, ReviewPhase

pytestmark = pytest.mark.usefixtures("empty_cache")


def _automated_badge(client, submission) -> str:
    page = client.get(reverse("review:status", args=[submission.pk])).content.decode()
    block = page.split('data-phase="automated"', 1)[1]
    return block.split("data-status=", 1)[1].split(">", 1)[1].split("<", 1)[0]


def test_phases_stored_after_a_withdrawal_show_on_the_next_view(client, import_connector, alice):
    client.force_login(alice)
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")
    attempt = review_services._claim(submission.pk)  # the worker has started the run
    services.submission_withdraw(submission=submission, user=alice)
    assert _automated_badge(client, submission) == "Running"  # viewed while the run goes on

    bundle = read_bundle(bytes(type(submission).objects.get(pk=submission.pk).bundle))
    review_services._store(submission.pk, attempt, run_review(bundle, EngineConfig.from_settings()))

    assert ReviewPhase.objects.get(submission=submission, phase=Phase.AUTOMATED).status == PhaseStatus.PASSED
    assert _automated_badge(client, submission) == "Passed"


def test_phases_reset_by_review_mark_error_after_a_withdrawal_show(client, import_connector, alice):
    client.force_login(alice)
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")
    review_services._claim(submission.pk)
    services.submission_withdraw(submission=submission, user=alice)
    assert _automated_badge(client, submission) == "Running"

    review_services.review_mark_error(submission.pk, "RuntimeError: the sandbox died")

    assert _automated_badge(client, submission) == "Not reached"
