"""The submission page's buttons: only the transitions allowed now, each calling a service."""

from connectors.models import ReviewState
from review.models import Phase, PhaseStatus
from tests.review.admin_support import change_url, in_review, reviewing  # noqa: F401
from tests.review.admin_support import post_decision as _post


def _phase(submission, phase):
    return submission.phases.get(phase=phase)


def test_it_signs_off_the_security_test(client, erin, reviewing):
    client.force_login(erin)
    response = _post(client, reviewing, "sign-off/security", decision="pass", note="Looks safe.")
    assert response.status_code == 200
    row = _phase(reviewing, Phase.SECURITY)
    assert (row.status, row.engineer, row.note) == (PhaseStatus.PASSED, erin, "Looks safe.")
    assert "Security test passed" in response.content.decode()


def test_it_fails_the_code_review_with_a_note_and_requests_changes(client, erin, reviewing):
    client.force_login(erin)
    _post(client, reviewing, "sign-off/code_review", decision="fail", note="Use httprequest, not XHR.")
    reviewing.refresh_from_db()
    assert _phase(reviewing, Phase.CODE_REVIEW).status == PhaseStatus.FAILED
    assert reviewing.state == ReviewState.CHANGES_REQUESTED


def test_it_explains_that_failing_needs_a_note(client, erin, reviewing):
    client.force_login(erin)
    response = _post(client, reviewing, "sign-off/security", decision="fail", note="  ")
    assert "needs a note" in response.content.decode()
    assert _phase(reviewing, Phase.SECURITY).status == PhaseStatus.NEEDS_REVIEW


def test_it_shows_approve_only_when_every_phase_passed(client, erin, reviewing):
    client.force_login(erin)
    html = client.get(change_url(reviewing)).content.decode()
    assert "Sign off security test" in html and ">Approve</button>" not in html
    _post(client, reviewing, "sign-off/security", decision="pass")
    _post(client, reviewing, "sign-off/code_review", decision="pass")
    html = client.get(change_url(reviewing)).content.decode()
    assert ">Approve</button>" in html and "Sign off security test" not in html


def test_it_approves_when_every_phase_passed(client, erin, import_connector, alice):
    submission = in_review(import_connector(), alice, human=PhaseStatus.PASSED)
    client.force_login(erin)
    response = _post(client, submission, "approve", note="Nice work.")
    submission.refresh_from_db()
    assert submission.state == ReviewState.APPROVED
    assert submission.events.filter(transition="approve", actor=erin, reason="Nice work.").exists()
    assert "Approved" in response.content.decode()


def test_it_refuses_to_approve_before_every_phase_passed(client, erin, reviewing):
    client.force_login(erin)
    response = _post(client, reviewing, "approve")
    reviewing.refresh_from_db()
    assert reviewing.state == ReviewState.IN_REVIEW
    assert "cannot be approved yet" in response.content.decode()


def test_it_requests_changes_with_a_note(client, erin, reviewing):
    client.force_login(erin)
    _post(client, reviewing, "request-changes", note="Declare collector.evil.example or stop calling it.")
    reviewing.refresh_from_db()
    assert reviewing.state == ReviewState.CHANGES_REQUESTED
    assert reviewing.events.get(transition="request_changes").reason.startswith("Declare collector")


def test_it_refuses_to_request_changes_without_a_note(client, erin, reviewing):
    client.force_login(erin)
    response = _post(client, reviewing, "request-changes", note="")
    reviewing.refresh_from_db()
    assert reviewing.state == ReviewState.IN_REVIEW
    assert "needs a note" in response.content.decode()


def test_it_shows_no_buttons_once_the_review_ended(client, erin, reviewing):
    client.force_login(erin)
    _post(client, reviewing, "request-changes", note="Please fix.")
    html = client.get(change_url(reviewing)).content.decode()
    for button in (">Approve</button>", "Request changes</button>", "Sign off security test"):
        assert button not in html
    assert "Nothing to do now" in html


def test_it_refuses_a_refused_transition_with_a_message_not_an_error_page(client, erin, reviewing):
    client.force_login(erin)
    _post(client, reviewing, "request-changes", note="Please fix.")
    response = _post(client, reviewing, "sign-off/security", decision="pass")
    assert response.status_code == 200
    assert "not in review" in response.content.decode()


def test_it_refuses_signing_off_a_machine_phase(client, erin, reviewing):
    client.force_login(erin)
    response = _post(client, reviewing, "sign-off/performance", decision="pass")
    assert "Only the security test and the code review" in response.content.decode()
    assert _phase(reviewing, Phase.PERFORMANCE).engineer is None
