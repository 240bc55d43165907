"""After "Changes requested" the editor says what to fix: the last review's findings and
the engineers' notes, read through connectors.editor_findings (review registers the reader)."""

import pytest
from django.urls import reverse

from connectors import services
from connectors.models import ReviewState
from review.models import Phase, PhaseStatus, ReviewPhase
from review.services import phase_sign_off


@pytest.fixture
def submit(alice, django_capture_on_commit_callbacks):
    """Submit as alice and let the review run (the on-commit task, inline in tests)."""

    def _submit(connector):
        with django_capture_on_commit_callbacks(execute=True):
            submission = services.connector_submit(connector=connector, user=alice, visibility="company")
        submission.refresh_from_db()
        return submission

    return _submit


def _editor(client, connector):
    return client.get(reverse("connectors:edit", args=[connector.pk])).content.decode()


def test_it_shows_the_findings_of_a_review_that_requested_changes(client, alice, import_connector, submit):
    connector = import_connector("sales-crm-xhr")
    submission = submit(connector)
    assert submission.state == ReviewState.CHANGES_REQUESTED  # the automated tests failed it
    client.force_login(alice)
    body = _editor(client, connector)
    assert f"Changes requested in version {submission.number}: what to fix" in body
    assert "no-xmlhttprequest" in body and 'data-finding-file="processdata.js"' in body
    finding = submission.findings.filter(rule="no-xmlhttprequest").first()
    assert f'data-goto-line="{finding.line}"' in body
    if finding.hint:
        assert finding.hint in body


def test_it_shows_an_engineers_note_from_a_failed_sign_off(client, alice, erin, import_connector, submit):
    connector = import_connector("sales-crm")
    submission = submit(connector)
    assert ReviewPhase.objects.get(submission=submission, phase=Phase.SECURITY).status != PhaseStatus.FAILED
    phase_sign_off(submission=submission, phase=Phase.CODE_REVIEW, engineer=erin, passed=False,
                   note="Name the page-size constant instead of 500.")
    client.force_login(alice)
    body = _editor(client, connector)
    assert "Code review:</strong> Name the page-size constant instead of 500." in body


def test_it_shows_nothing_while_the_review_is_open_or_after_approval(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    assert 'id="review-feedback"' not in _editor(client, connector)  # never submitted
    services.connector_submit(connector=connector, user=alice, visibility="company")
    assert 'id="review-feedback"' not in _editor(client, connector)  # in review: View Code shows them


def test_it_shows_the_findings_only_to_the_company(client, bob, alice, import_connector, submit):
    connector = import_connector("sales-crm-xhr")
    submit(connector)
    client.force_login(bob)
    assert client.get(reverse("connectors:edit", args=[connector.pk])).status_code == 404
