"""The status window: state, beta, phases with findings, observed requests, history, polling."""

import pytest
from django.urls import reverse

from connectors import services
from connectors.models import Submission
from review.models import Finding, Phase, PhaseStatus, ReviewPhase


@pytest.fixture
def submission(import_connector, alice):
    return services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")


def _phase(submission, phase, status, **details):
    row, _ = ReviewPhase.objects.update_or_create(
        submission=submission, phase=phase, defaults={"status": status, "details": details}
    )
    row.findings.all().delete()
    return row


def _set_phases(submission, **statuses):
    for phase in Phase.values:
        _phase(submission, phase, statuses.get(phase, PhaseStatus.PASSED))


def _url(submission):
    return reverse("review:status", args=[submission.pk])


def test_it_shows_state_due_date_and_history(client, alice, submission):
    client.force_login(alice)
    response = client.get(_url(submission))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Example Sales CRM" in body and "version 1" in body
    assert 'data-state="submitted"' in body
    assert f"{submission.due_at:%Y-%m-%d}" in body
    assert "Submitted" in body and "by alice" in body


def test_it_names_the_version_as_submitted_not_the_draft_edited_since(client, alice, submission):
    services.submission_withdraw(submission=submission, user=alice)
    services.connector_update(connector=submission.connector, user=alice, name="Renamed draft")
    client.force_login(alice)
    for url in (_url(submission), reverse("review:code", args=[submission.pk])):
        body = client.get(url).content.decode()
        assert "<title>" in body and "Example Sales CRM v1" in body
        assert "Renamed draft" not in body


def test_it_shows_each_phase_with_findings_linked_to_their_line(client, alice, submission):
    _set_phases(submission, automated=PhaseStatus.FAILED)
    automated = ReviewPhase.objects.get(submission=submission, phase=Phase.AUTOMATED)
    Finding.objects.create(
        submission=submission, review_phase=automated, phase=Phase.AUTOMATED, rule="no-xmlhttprequest",
        severity="error", file="processdata.js", line=7, column=3,
        message="XMLHttpRequest is not available.", hint="Use httprequest.get(url).",
    )
    client.force_login(alice)
    body = client.get(_url(submission)).content.decode()
    for label in ("Automated tests", "Security test", "Performance test", "Code review"):
        assert label in body
    assert "no-xmlhttprequest" in body and "XMLHttpRequest is not available." in body
    assert "Use httprequest.get(url)." in body
    code_url = reverse("review:code", args=[submission.pk])
    assert f'href="{code_url}?file=processdata.js#code-processdata-js-L7"' in body


def test_it_does_not_link_a_finding_outside_the_scripts(client, alice, submission):
    automated = _phase(submission, Phase.AUTOMATED, PhaseStatus.FAILED)
    Finding.objects.create(
        submission=submission, review_phase=automated, phase=Phase.AUTOMATED, rule="missing-field",
        severity="error", file="connector.json", message="No reports.",
    )
    client.force_login(alice)
    body = client.get(_url(submission)).content.decode()
    assert "No reports." in body and "connector.json#" not in body


def test_it_lists_the_requests_the_sandbox_observed(client, alice, submission):
    _phase(
        submission, Phase.AUTOMATED, PhaseStatus.PASSED,
        requests=[
            {"report": "Opportunities", "method": "GET", "url": "https://crm.example-sales.com/api/session",
             "host": "crm.example-sales.com", "declared": True, "matched": True},
            {"report": "Opportunities", "method": "POST", "url": "https://evil.example.net/collect",
             "host": "evil.example.net", "declared": False, "matched": False},
        ],
    )
    client.force_login(alice)
    body = client.get(_url(submission)).content.decode()
    assert "Requests the sandbox observed" in body
    assert "https://crm.example-sales.com/api/session" in body
    assert "evil.example.net" in body and 'class="table-danger"' in body


def test_it_polls_while_the_machine_is_working(client, alice, submission):
    _set_phases(submission, automated=PhaseStatus.RUNNING, security=PhaseStatus.PENDING)
    client.force_login(alice)
    body = client.get(_url(submission)).content.decode()
    assert 'hx-trigger="every' in body


def test_it_keeps_polling_slower_while_people_review(client, alice, submission):
    # A pending code review waits for a person, not for the machine: the page stays live
    # (a sign-off or the approval shows without a reload) but asks less often, no spinner.
    _set_phases(submission, security=PhaseStatus.NEEDS_REVIEW, code_review=PhaseStatus.PENDING)
    client.force_login(alice)
    body = client.get(_url(submission)).content.decode()
    assert 'hx-trigger="every 10s"' in body and "spinner-border" not in body


def test_it_answers_htmx_with_the_live_part_only(client, alice, submission):
    _set_phases(submission, automated=PhaseStatus.PASSED)
    client.force_login(alice)
    response = client.get(_url(submission), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="status-live"')
    assert "<html" not in body
    # The header's badge is outside the live part: the poll swaps it out of band.
    assert '<span id="submission-badge" hx-swap-oob="true">' in body


def test_it_shows_checks_delayed_for_a_phase_in_error(client, alice, submission):
    _set_phases(submission, performance=PhaseStatus.ERROR)
    client.force_login(alice)
    body = client.get(_url(submission)).content.decode()
    assert "Checks delayed" in body and "retried" in body
    assert "Failed" not in body


def test_it_offers_withdraw_only_while_open(client, alice, submission):
    client.force_login(alice)
    assert "withdraw-dialog" in client.get(_url(submission)).content.decode()
    services.submission_withdraw(submission=submission, user=alice)
    body = client.get(_url(submission)).content.decode()
    assert "withdraw-dialog" not in body and ">Withdraw<" not in body


def test_it_offers_self_publish_for_a_company_submission(client, alice, submission):
    client.force_login(alice)
    body = client.get(_url(submission)).content.decode()
    assert "Self Publish" in body
    assert reverse("submissions:self_publish", args=[submission.pk]) in body


def test_it_says_why_self_publish_is_not_available(client, alice, import_connector):
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="public")
    client.force_login(alice)
    body = client.get(_url(submission)).content.decode()
    assert ">Self Publish</button>" not in body
    assert "Self Publish is not available: Only connectors shared with your company" in body


def test_it_shows_the_live_beta_url_with_copy_button_and_expiry(client, alice, submission):
    beta = services.submission_self_publish(submission=submission, user=alice)
    client.force_login(alice)
    body = client.get(_url(submission)).content.decode()
    beta_url = "http://testserver" + reverse("submissions:beta", args=[beta.beta_token])
    assert f'value="{beta_url}"' in body
    assert 'data-copy-target="#beta-url"' in body
    assert f"{beta.beta_expires_at:%Y-%m-%d}" in body
    assert ">Self Publish</button>" not in body


def test_it_shows_the_private_url_once_approved(client, alice, submission):
    _set_phases(submission)
    services.submission_start_review(submission=submission)
    approved = services.submission_approve(submission=Submission.objects.get(pk=submission.pk), user=None)
    client.force_login(alice)
    body = client.get(_url(submission)).content.decode()
    assert reverse("submissions:private", args=[approved.private_token]) in body


def test_it_hides_another_companys_submission(client, bob, submission):
    client.force_login(bob)
    assert client.get(_url(submission)).status_code == 404


def test_it_costs_a_fixed_number_of_queries(client, alice, submission, django_assert_max_num_queries):
    _set_phases(submission)
    client.force_login(alice)
    client.get(_url(submission))
    # session, user, submission, phases, findings, events, self-publish check has none.
    with django_assert_max_num_queries(8):
        client.get(_url(submission))


# --- the performance table -------------------------------------------------------

PERFORMANCE_ROWS = [
    {"report": "Opportunities", "records": 1500, "requests": 4, "cpu_seconds": 0.12, "modeled_seconds": 2.12,
     "records_per_5_min": 212264, "passed": True},
    {"report": "Slow report", "records": 3, "requests": 90, "cpu_seconds": 0.5, "modeled_seconds": 45.5,
     "records_per_5_min": 19, "passed": False},
    {"report": "Empty report", "records": 0, "requests": 1, "cpu_seconds": 0.01, "modeled_seconds": 0.51,
     "records_per_5_min": None, "passed": None},
]


def _performance_table(body):
    start = body.index('data-testid="performance"')
    return body[start:body.index("</table>", start)]


def test_it_shows_the_performance_table_the_pipeline_stored(client, alice, submission):
    _set_phases(submission, performance=PhaseStatus.FAILED)
    _phase(submission, Phase.PERFORMANCE, PhaseStatus.FAILED, performance=PERFORMANCE_ROWS)
    client.force_login(alice)
    table = _performance_table(client.get(_url(submission)).content.decode())
    assert "Opportunities" in table and "1,500" in table and "212,264" in table and "2.12" in table
    assert "Slow report" in table and 'class="table-danger"' in table and "below 1,000" in table


def test_it_states_the_performance_floor(client, alice, submission):
    _phase(submission, Phase.PERFORMANCE, PhaseStatus.PASSED, performance=PERFORMANCE_ROWS[:1])
    client.force_login(alice)
    body = client.get(_url(submission)).content.decode()
    assert "1,000 records per 5 minutes" in body


def test_it_keeps_the_stated_floor_equal_to_the_engines():
    from review.engine.rules.performance import RECORDS_PER_5_MIN_REQUIRED as enforced
    from review.pages.summary import RECORDS_PER_5_MIN_REQUIRED as shown

    assert shown == enforced


def test_it_says_not_measured_for_a_report_without_records(client, alice, submission):
    _phase(submission, Phase.PERFORMANCE, PhaseStatus.PASSED, performance=PERFORMANCE_ROWS[2:])
    client.force_login(alice)
    table = _performance_table(client.get(_url(submission)).content.decode())
    assert "Empty report" in table and "not measured" in table and "None" not in table


def test_it_shows_no_performance_table_before_the_run(client, alice, submission):
    _set_phases(submission, performance=PhaseStatus.PENDING)
    client.force_login(alice)
    assert 'data-testid="performance"' not in client.get(_url(submission)).content.decode()


# --- an ended review -----------------------------------------------------------------

ENDED = ["approved", "changes_requested", "withdrawn"]


def _end(submission, state):
    # The states are reached through services elsewhere; here only the page's reading of
    # them matters, including rows a real run would leave behind (a phase never reached).
    Submission.objects.filter(pk=submission.pk).update(state=state)


@pytest.mark.parametrize("state", ENDED)
def test_it_never_polls_once_the_review_has_ended(client, alice, submission, state):
    _set_phases(submission, automated=PhaseStatus.RUNNING, performance=PhaseStatus.PENDING)
    _end(submission, state)
    client.force_login(alice)
    for response in (client.get(_url(submission)), client.get(_url(submission), HTTP_HX_REQUEST="true")):
        body = response.content.decode()
        assert "hx-trigger" not in body and "hx-get" not in body and 'data-polling' not in body
        assert "spinner-border" not in body


@pytest.mark.parametrize("state", ENDED)
def test_it_says_not_reached_for_a_phase_left_pending_by_an_ended_review(client, alice, submission, state):
    _set_phases(submission, performance=PhaseStatus.PENDING, code_review=PhaseStatus.PENDING)
    _end(submission, state)
    client.force_login(alice)
    body = client.get(_url(submission)).content.decode()
    assert body.count('<span class="badge text-bg-light border" data-status="not-reached">Not reached</span>') == 2
    assert ">Pending<" not in body


def test_it_stops_polling_after_a_real_withdrawal_mid_run(client, alice, submission):
    _set_phases(submission, automated=PhaseStatus.PENDING, security=PhaseStatus.PENDING,
                performance=PhaseStatus.PENDING, code_review=PhaseStatus.PENDING)
    client.force_login(alice)
    assert 'hx-trigger="every' in client.get(_url(submission)).content.decode()
    services.submission_withdraw(submission=submission, user=alice)
    body = client.get(_url(submission), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in body and "Not reached" in body


def test_it_keeps_polling_with_a_spinner_while_a_machine_phase_is_pending(client, alice, submission):
    _set_phases(submission, automated=PhaseStatus.PENDING, security=PhaseStatus.PENDING,
                performance=PhaseStatus.PENDING, code_review=PhaseStatus.PENDING)
    client.force_login(alice)
    body = client.get(_url(submission), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 3s"' in body and "spinner-border" in body
    assert ">Pending<" in body and "Not reached" not in body


def test_it_does_not_promise_a_retry_once_the_review_has_ended(client, alice, submission):
    _set_phases(submission, performance=PhaseStatus.ERROR)
    _end(submission, "withdrawn")
    client.force_login(alice)
    body = client.get(_url(submission)).content.decode()
    assert "Checks delayed" in body and "retried" not in body


# --- history -------------------------------------------------------------------------

def test_it_keeps_the_line_breaks_of_a_reason(client, alice, submission):
    _set_phases(submission)
    services.submission_start_review(submission=submission)
    reason = (
        "The automated checks found 2 errors:\n"
        "- no-xmlhttprequest (processdata.js:7): XMLHttpRequest is not available.\n"
        "- too-slow (processdata.js): Report Opportunities projects 19 records per 5 minutes."
    )
    services.submission_fail_checks(submission=Submission.objects.get(pk=submission.pk), summary=reason)
    client.force_login(alice)
    body = client.get(_url(submission)).content.decode()
    assert (
        "The automated checks found 2 errors:<br>- no-xmlhttprequest (processdata.js:7): "
        "XMLHttpRequest is not available.<br>- too-slow" in body
    )


def test_it_polls_until_the_queued_review_creates_its_phases(client, alice, submission):
    ReviewPhase.objects.filter(submission=submission).delete()
    client.force_login(alice)
    body = client.get(_url(submission)).content.decode()
    assert "The review has not started yet." in body and 'hx-trigger="every' in body
