"""Issue 21, item 3: a version whose code did not change keeps the engineers' sign-offs and
is approved by the portal; the developer's status window and the engineers' queue say so."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from connectors import services
from connectors.models import Connector, ReviewState, Submission
from review import services as review_services
from review.models import Phase
from tests.browser.pages import collect_console_errors, screenshot_of, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _reviewed(connector, user) -> Submission:
    submission = services.connector_submit(connector=Connector.objects.get(pk=connector.pk), user=user,
                                           visibility="company")
    review_services.review_submission_now(submission.pk)
    return Submission.objects.get(pk=submission.pk)


def test_the_status_window_and_the_queue_show_an_approval_carried_over(page, live_server, alice, erin,
                                                                      import_connector, monkeypatch):
    monkeypatch.setattr(review_services, "queue_review", lambda submission_id: None)  # run here, in order
    connector = import_connector("sales-crm")
    first = _reviewed(connector, alice)
    for phase in (Phase.SECURITY, Phase.CODE_REVIEW):
        review_services.phase_sign_off(submission=first, phase=phase, engineer=erin, passed=True, note="Fine.")
    review_services.submission_approve(submission=first, engineer=erin)
    Connector.objects.filter(pk=connector.pk).update(description="Opportunities, now with their stage history.")
    second = _reviewed(connector, alice)
    assert second.state == ReviewState.APPROVED

    sign_in(page, live_server, "alice")
    errors = collect_console_errors(page)
    page.goto(live_server.url + reverse("review:status", args=[second.pk]))
    expect(page.get_by_test_id("review-state")).to_have_text("Approved")
    phases = page.locator(".list-group").filter(has=page.locator('[data-phase="security"]'))
    expect(phases.locator('[data-phase="security"] [data-testid="carried-over"]')).to_have_text(
        "Carried over from version 1, signed by erin: the code is the same, so this sign-off stands.")
    expect(phases.locator('[data-phase="code_review"] [data-testid="carried-over"]')).to_be_visible()
    expect(page.get_by_text("Approved automatically: code unchanged since an approved version")).to_be_visible()
    screenshot_of(phases, "carry-over-status-window")

    page.context.clear_cookies()
    sign_in(page, live_server, "erin")
    page.goto(f"{live_server.url}/admin/connectors/submission/")
    recent = page.locator("#recently-auto-approved")
    expect(recent).to_contain_text("Recently auto-approved (1)")
    expect(recent.get_by_test_id("auto-approved-row")).to_contain_text("Example Sales CRM v2")
    expect(recent.get_by_test_id("auto-approved-row")).to_contain_text("unchanged since version 1")
    screenshot_of(recent, "carry-over-admin-queue")
    recent.get_by_role("link", name="Example Sales CRM v2").click()
    expect(page.locator("#phase-security")).to_contain_text("carried over from version 1, signed by erin")
    assert errors == []
