"""Contest a decision (issue 21, item 5): after "Changes requested", a failed automated phase
or a take-down, the connector's developers contest it in the conversation; an engineer's
answer closes it, the decision upheld or reversed (review.contests). Emailed both ways."""

import pytest
from django.urls import reverse

from connectors import services
from connectors.models import ReviewState, Submission
from portal.errors import PortalError
from review import services as review_services
from review.contests import contest_answer, contest_open, open_contest
from review.models import Contest, Message, Phase, PhaseStatus
from review.services import phase_sign_off, submission_approve
from tests.review.admin_support import change_url, in_review, post_decision, staff  # noqa: F401 - staff is a fixture


@pytest.fixture
def sent_back(import_connector, alice, erin):
    submission = in_review(import_connector("sales-crm"), alice)
    return services.submission_request_changes(submission=submission, user=erin, note="Use the v2 endpoint.")


@pytest.fixture
def failed_checks(import_connector, alice):
    submission = in_review(import_connector("sales-crm"), alice, human="pending")
    submission.phases.filter(phase=Phase.AUTOMATED).update(status=PhaseStatus.FAILED)
    return services.submission_fail_checks(submission=submission, summary="1 error: minified-code.")


def _reload(submission):
    return Submission.objects.get(pk=submission.pk)


# --- opening a contest ---------------------------------------------------------------


def test_a_developer_contests_changes_requested_and_the_engineer_who_decided_is_emailed(sent_back, alice, erin, run):
    contest, sent = run(contest_open, submission=sent_back, user=alice, body="The v1 endpoint is the only one.")
    assert (contest.decision, contest.is_open) == ("request_changes", True)
    message = Message.objects.get(kind=Message.Kind.CONTEST)
    assert (message.body, message.from_engineer, message.author_name) == ("The v1 endpoint is the only one.", False, "alice")
    assert [m.to for m in sent] == [[erin.email]]
    assert "contest the decision" in sent[0].subject and "The v1 endpoint is the only one." in sent[0].body
    assert "changes requested" in sent[0].body
    html = sent[0].alternatives[0][0]
    assert "The v1 endpoint is the only one." in html and reverse("admin:connectors_submission_change", args=[sent_back.pk]) in html
    assert _reload(sent_back).events.last().label == "The developers contest the decision"


def test_a_failed_automated_phase_can_be_contested_and_every_engineer_hears_of_it(failed_checks, alice, erin, run):
    contest, sent = run(contest_open, submission=failed_checks, user=alice, body="minified-code is a false positive.")
    assert contest.decision == "fail_checks"
    assert [m.to for m in sent] == [[erin.email]]  # nobody decided: every review engineer


def test_a_take_down_can_be_contested(public_approved, alice, erin):
    services.submission_take_down(submission=public_approved, user=erin, reason="Sends data elsewhere.")
    assert contest_open(submission=public_approved, user=alice, body="It only calls our API.").decision == "take_down"


def test_another_companys_developer_cannot_contest(sent_back, bob, client):
    with pytest.raises(PortalError, match="Only the connector's company"):
        contest_open(submission=sent_back, user=bob, body="Let me in.")
    client.force_login(bob)
    assert client.post(reverse("review:contest", args=[sent_back.pk]), {"body": "x"}).status_code == 404
    assert not Contest.objects.exists() and not Message.objects.exists()


def test_an_engineer_does_not_contest_a_decision(sent_back, erin):
    with pytest.raises(PortalError, match="Only the connector's company"):
        contest_open(submission=sent_back, user=erin, body="I disagree with my colleague.")


@pytest.mark.parametrize("body", ["", "   ", "x" * 5001])
def test_a_contest_needs_its_words(sent_back, alice, body):
    with pytest.raises(PortalError):
        contest_open(submission=sent_back, user=alice, body=body)
    assert not Contest.objects.exists()


def test_only_a_decision_can_be_contested(import_connector, alice, public_approved):
    with pytest.raises(PortalError, match="no decision to contest: version 1 is approved"):
        contest_open(submission=public_approved, user=alice, body="?")
    withdrawn = services.submission_withdraw(submission=in_review(import_connector("xml-api"), alice), user=alice)
    with pytest.raises(PortalError, match="no decision to contest"):
        contest_open(submission=withdrawn, user=alice, body="?")


def test_one_open_contest_at_a_time(sent_back, alice):
    contest_open(submission=sent_back, user=alice, body="First.")
    with pytest.raises(PortalError, match="contested this decision already"):
        contest_open(submission=sent_back, user=alice, body="Second.")
    assert Contest.objects.count() == 1


def test_changes_requested_on_a_superseded_version_cannot_be_contested(sent_back, alice):
    services.connector_submit(connector=sent_back.connector, user=alice, visibility="company", instructions="x")
    with pytest.raises(PortalError, match="newer version"):
        contest_open(submission=sent_back, user=alice, body="Too late.")


# --- answering it ----------------------------------------------------------------------


def test_upheld_closes_the_contest_and_emails_the_developers(sent_back, alice, erin, run):
    contest_open(submission=sent_back, user=alice, body="Please look again.")
    contest, sent = run(contest_answer, submission=sent_back, user=erin, reverse=False, body="v1 is retired in March.")
    assert (contest.outcome, contest.closed_by, contest.answer.kind) == ("upheld", erin, Message.Kind.UPHELD)
    assert _reload(sent_back).state == ReviewState.CHANGES_REQUESTED
    assert open_contest(sent_back) is None
    assert [m.to for m in sent] == [[alice.email]]
    assert "decision stands" in sent[0].subject and "v1 is retired in March." in sent[0].body
    assert "the decision stands" in sent[0].alternatives[0][0]
    # Answered: the developers may contest again, with a new argument.
    assert contest_open(submission=sent_back, user=alice, body="New facts.").is_open


def test_reversing_changes_requested_puts_the_version_back_in_review(sent_back, alice, erin, run):
    sent_back.phases.filter(phase=Phase.SECURITY).update(status=PhaseStatus.FAILED)
    contest_open(submission=sent_back, user=alice, body="Please look again.")
    contest, sent = run(contest_answer, submission=sent_back, user=erin, reverse=True, body="You are right.")
    submission = _reload(sent_back)
    assert (contest.outcome, submission.state, submission.ended_at) == ("reversed", ReviewState.IN_REVIEW, None)
    statuses = dict(submission.phases.values_list("phase", "status"))
    assert statuses[Phase.SECURITY] == PhaseStatus.NEEDS_REVIEW and statuses[Phase.AUTOMATED] == PhaseStatus.PASSED
    assert [e.transition for e in submission.events.all()][-2:] == ["reopen", "contest_reversed"]
    assert [m.to for m in sent] == [[alice.email]]
    assert "reversed" in sent[0].subject and "in review again" in sent[0].body
    # The review goes on the engineers' normal path: sign off, then approve.
    phase_sign_off(submission=submission, phase=Phase.SECURITY, engineer=erin, passed=True)
    phase_sign_off(submission=submission, phase=Phase.CODE_REVIEW, engineer=erin, passed=True)
    assert submission_approve(submission=submission, engineer=erin).state == ReviewState.APPROVED


def test_reversing_failed_checks_hands_the_machine_phase_to_an_engineer(failed_checks, alice, erin):
    contest_open(submission=failed_checks, user=alice, body="A false positive.")
    contest_answer(submission=failed_checks, user=erin, reverse=True, body="Agreed, it is readable.")
    submission = _reload(failed_checks)
    assert submission.state == ReviewState.IN_REVIEW
    assert review_services._claim(submission.pk) == "done"  # a late retry of the run leaves it to the engineer
    row = phase_sign_off(submission=submission, phase=Phase.AUTOMATED, engineer=erin, passed=True)
    assert row.status == PhaseStatus.PASSED


def test_reversing_a_take_down_relists_the_version(public_approved, alice, erin, run):
    services.submission_take_down(submission=public_approved, user=erin, reason="Sends data elsewhere.")
    contest_open(submission=public_approved, user=alice, body="It only calls our API.")
    _, sent = run(contest_answer, submission=public_approved, user=erin, reverse=True, body="Confirmed.")
    submission = _reload(public_approved)
    assert (submission.state, submission.listed) == (ReviewState.APPROVED, True)
    assert submission.events.filter(transition="relist").get().reason == "Contest reversed: Confirmed."
    assert {m.subject.split(": ")[-1] for m in sent} >= {"the reviewers reversed their decision"}
    assert any("published again" in m.body for m in sent)


def test_a_non_engineer_cannot_answer_a_contest(sent_back, alice, bob, staff, client):  # noqa: F811
    contest_open(submission=sent_back, user=alice, body="Please look again.")
    for user in (alice, bob, staff):
        with pytest.raises(PortalError, match="Only a review engineer"):
            contest_answer(submission=sent_back, user=user, reverse=True, body="Reversed by me.")
    client.force_login(staff)
    url = reverse("admin:connectors_submission_answer_contest", args=[sent_back.pk])
    assert client.post(url, {"outcome": "reversed", "body": "x"}).status_code == 403
    assert open_contest(sent_back) is not None and _reload(sent_back).state == ReviewState.CHANGES_REQUESTED


def test_a_contest_is_answered_once(sent_back, alice, erin):
    contest_open(submission=sent_back, user=alice, body="Please look again.")
    contest_answer(submission=sent_back, user=erin, reverse=False, body="No.")
    with pytest.raises(PortalError, match="no open contest"):
        contest_answer(submission=sent_back, user=erin, reverse=True, body="Yes after all.")
    assert _reload(sent_back).state == ReviewState.CHANGES_REQUESTED


# --- races -----------------------------------------------------------------------------------


def test_a_contest_arriving_after_an_engineer_reopened_and_approved_is_refused(sent_back, alice, erin):
    """The developer's page showed "changes requested"; meanwhile an engineer answered an earlier
    contest, reversed it and approved. The late contest finds nothing to contest and stores nothing."""
    contest_open(submission=sent_back, user=alice, body="First contest.")
    contest_answer(submission=sent_back, user=erin, reverse=True, body="Agreed.")
    for phase in (Phase.SECURITY, Phase.CODE_REVIEW):
        phase_sign_off(submission=_reload(sent_back), phase=phase, engineer=erin, passed=True)
    submission_approve(submission=_reload(sent_back), engineer=erin)
    with pytest.raises(PortalError, match="no decision to contest: version 1 is approved"):
        contest_open(submission=sent_back, user=alice, body="Stale page.")
    assert Contest.objects.count() == 1 and not open_contest(sent_back)


def test_a_reversal_of_a_take_down_already_relisted_is_refused_and_changes_nothing(public_approved, alice, erin):
    services.submission_take_down(submission=public_approved, user=erin, reason="Malware.")
    contest_open(submission=public_approved, user=alice, body="It is not.")
    services.submission_relist(submission=public_approved, user=erin, reason="Re-listed meanwhile.")
    with pytest.raises(PortalError, match="nothing to reverse"):
        contest_answer(submission=public_approved, user=erin, reverse=True, body="Reversed.")
    assert _reload(public_approved).events.filter(transition="relist").count() == 1
    assert open_contest(public_approved) is not None  # still open: the engineer says the decision stands, with why
    contest_answer(submission=public_approved, user=erin, reverse=False, body="It was re-listed already.")


def test_the_database_holds_one_open_contest_per_submission(sent_back, alice):
    from django.db import IntegrityError, transaction

    contest_open(submission=sent_back, user=alice, body="First.")
    message = Message.objects.create(submission=sent_back, author=alice, author_name="alice", from_engineer=False,
                                     body="Raced.", kind=Message.Kind.CONTEST)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contest.objects.create(submission=sent_back, decision="request_changes", message=message)


# --- pages -----------------------------------------------------------------------------------


def test_the_status_window_offers_the_contest_and_shows_it_waiting(sent_back, alice, client, django_capture_on_commit_callbacks):
    client.force_login(alice)
    page = client.get(reverse("review:status", args=[sent_back.pk])).content.decode()
    assert 'id="contest"' in page and "Contest the requested changes" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("review:contest", args=[sent_back.pk]), {"body": "Please look again."})
    assert response.status_code == 302 and response["Location"].endswith("#conversation")
    page = client.get(reverse("review:status", args=[sent_back.pk])).content.decode()
    assert 'id="contest"' not in page and 'data-testid="contest-open"' in page
    assert "Contests the decision" in page and "Please look again." in page


def test_an_empty_contest_from_the_page_says_so(sent_back, alice, client):
    client.force_login(alice)
    response = client.post(reverse("review:contest", args=[sent_back.pk]), {"body": " "}, follow=True)
    assert "Write why you contest the decision first" in response.content.decode()
    assert not Contest.objects.exists()


def test_the_admin_page_answers_the_contest(sent_back, alice, erin, client, django_capture_on_commit_callbacks):
    contest_open(submission=sent_back, user=alice, body="Please look again.")
    client.force_login(erin)
    page = client.get(change_url(sent_back)).content.decode()
    assert 'id="answer-contest"' in page and "alice contests changes requested" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = post_decision(client, sent_back, "answer-contest", outcome="reversed", body="You are right.")
    assert "Reversed the contested decision" in response.content.decode()
    assert _reload(sent_back).state == ReviewState.IN_REVIEW
    assert 'id="answer-contest"' not in client.get(change_url(sent_back)).content.decode()


def test_the_admin_refuses_an_answer_without_an_outcome(sent_back, alice, erin, client):
    contest_open(submission=sent_back, user=alice, body="Please look again.")
    client.force_login(erin)
    response = client.post(reverse("admin:connectors_submission_answer_contest", args=[sent_back.pk]),
                           {"body": "Hmm."}, follow=True)
    assert "Choose whether the decision stands" in response.content.decode()
    assert "What you wrote, not sent: “Hmm.”" in response.content.decode()
    assert open_contest(sent_back) is not None


def test_the_queue_filters_and_shows_the_contested(sent_back, import_connector, alice, erin, client):
    other = in_review(import_connector("xml-api"), alice)
    contest_open(submission=sent_back, user=alice, body="Please look again: " + "v" * 100)
    client.force_login(erin)
    queue = client.get("/admin/connectors/submission/").content.decode()
    assert "1 contested decision</strong></a> waits for an answer" in queue
    page = client.get("/admin/connectors/submission/?queue=contested")
    rows = list(page.context["cl"].result_list)
    assert [s.pk for s in rows] == [sent_back.pk] and other.pk not in [s.pk for s in rows]
    html = page.content.decode()
    assert '<strong class="contested">Contested</strong>: <span title="Please look again: ' in html
    assert "Contested (waiting for an answer)" in html
    contest_answer(submission=sent_back, user=erin, reverse=False, body="No.")
    page = client.get("/admin/connectors/submission/?queue=contested")
    assert list(page.context["cl"].result_list) == []
    assert "waits for an answer" not in page.content.decode()


def test_the_api_shows_the_reasons_and_the_contest(import_connector, alice, erin):
    from api.serializers import submission_json  # the API's own auth is tested in tests/api

    submission = services.submission_request_changes(
        submission=in_review(import_connector("sales-crm"), alice), user=erin, note="", reasons=["no-minified-code"])
    data = submission_json(_reload(submission))
    assert [r["id"] for r in data["reasons"]] == ["no-minified-code"] and data["reasons"][0]["url"].startswith("http")
    assert data["contest"] is None
    contest_open(submission=submission, user=alice, body="Readable.")
    assert submission_json(_reload(submission))["contest"]["outcome"] is None
    contest_answer(submission=submission, user=erin, reverse=True, body="Agreed.")
    data = submission_json(_reload(submission))
    assert (data["state"], data["reasons"]) == ("in_review", [])
    assert (data["contest"]["decision"], data["contest"]["outcome"], data["contest"]["answer"]) == (
        "request_changes", "reversed", "Agreed.")


def test_the_status_window_of_a_taken_down_version_offers_the_contest(public_approved, alice, erin, client):
    services.submission_take_down(submission=public_approved, user=erin, reason="", reasons=["no-external-data"])
    client.force_login(alice)
    page = client.get(reverse("review:status", args=[public_approved.pk])).content.decode()
    assert "Contest the take-down" in page and "published again" in page
