"""Issue 12, item 6: the status window stays live while the review is open.

The badge turns from Submitted to In review without a reload; an engineer's sign-off
and the approval appear by themselves, in people's words; polling stops once the review
ends; an approved public connector links to its Data Center page.
"""

import pytest
from playwright.sync_api import expect

from connectors import services
from connectors.models import Submission
from review import services as review_services
from review.models import Phase
from tests.browser.pages import collect_console_errors, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def held_submission(alice, import_connector, monkeypatch):
    """A public submission whose review run has not started yet (the test starts it)."""
    monkeypatch.setattr(review_services, "queue_review", lambda submission_id: None)
    return services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="public")


def test_it_follows_the_review_to_its_end_without_a_reload(page, live_server, held_submission, erin, settings, screenshot):
    settings.STATUS_PEOPLE_POLL_SECONDS = 1
    submission = held_submission
    sign_in(page, live_server, "alice")
    errors = collect_console_errors(page)
    page.goto(f"{live_server.url}/submissions/{submission.pk}/")
    badge = page.locator("#submission-badge")
    expect(badge).to_have_text("Submitted")
    expect(page.get_by_test_id("email-note")).to_contain_text("comes to you by email")

    review_services.review_submission_now(submission.pk)  # the machine's part: start, run, store
    expect(badge).to_have_text("In review", timeout=10_000)
    security = page.locator("[data-phase='security'] [data-status]")
    expect(security).to_have_text("Waiting for an engineer", timeout=10_000)

    for phase in (Phase.SECURITY, Phase.CODE_REVIEW):
        review_services.phase_sign_off(submission=Submission.objects.get(pk=submission.pk), phase=phase,
                                       engineer=erin, passed=True, note="Looks right.")
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("Security test signed off", timeout=10_000)
    expect(history).to_contain_text("Code review signed off")
    expect(history).not_to_contain_text("start_review")
    expect(history).not_to_contain_text("in_review")
    screenshot("status-live-signed-off")

    review_services.submission_approve(submission=Submission.objects.get(pk=submission.pk), engineer=erin)
    expect(badge).to_have_text("Approved", timeout=10_000)
    expect(page.get_by_test_id("review-state")).to_have_text("Approved")
    expect(page.locator("#status-live")).not_to_have_attribute("data-polling", "on")
    link = page.get_by_test_id("data-center-link").get_by_role("link")
    screenshot("status-approved-public")
    link.click()
    expect(page.get_by_role("heading", name="Example Sales CRM")).to_be_visible()
    assert errors == []
