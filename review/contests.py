"""The developers contest a decision; an engineer's answer closes the contest either way.

Contestable: "Changes requested" (an engineer's, or the automated checks' failure) and a
take-down. The words are messages of the submission's conversation (review.conversation),
the steps are milestones of connectors.transitions (their history rows send the emails).

Reversing a decision undoes it through the lifecycle's own transitions, never by hand:
- a take-down: the version is re-listed (connectors.services.submission_relist);
- changes requested or failed checks: the same version is back in review (`reopen`), and
  the phases that did not pass wait for an engineer's sign-off again: the engineer, not
  the reversal, approves it. A machine phase so reopened is signed off by hand
  (review.pages.summary.handed_to_engineer).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from connectors import services as connector_services
from connectors.models import ReviewState, Submission
from connectors.selectors import user_is_member
from portal.errors import PortalError
from portal.permissions import user_is_review_engineer
from review.conversation import MAX_BODY
from review.models import HUMAN_PHASES, Contest, Message, PhaseStatus
from review.pages.page_scopes import review_rows_changed

# The decision each contestable state came from (its history row's transition).
CONTESTABLE = {
    ReviewState.CHANGES_REQUESTED: ("request_changes", "fail_checks"),
    ReviewState.TAKEN_DOWN: ("take_down",),
}
DECISION_WORDS = {"request_changes": "changes requested", "fail_checks": "the automated checks' failure",
                  "take_down": "the take-down"}
CONTESTED = "developer_contested"
UPHELD = "contest_upheld"
REVERSED = "contest_reversed"
REOPENED_KEY = "reopened_by_contest"  # ReviewPhase.details: a machine phase an engineer now signs off


def _body(body: str, what: str) -> str:
    body = (body or "").strip()
    if not body:
        raise PortalError(f"Write {what} first: it is empty.")
    if len(body) > MAX_BODY:
        raise PortalError(f"The text is {len(body):,} characters; keep it to {MAX_BODY:,} or fewer.")
    return body


def contested_decision(submission: Submission) -> str | None:
    """The transition that put the submission where it is, if a developer may contest it."""
    names = CONTESTABLE.get(submission.state)
    if not names:
        return None
    # The last move into this state; milestones (messages, sign-offs, the contest itself) stay where they are.
    moves = submission.events.filter(field="state", target=submission.state).exclude(source=F("target"))
    last = moves.order_by("-created_at", "-pk").first()
    return last.transition if last and last.transition in names else None


def open_contest(submission: Submission) -> Contest | None:
    return submission.contests.filter(outcome=Contest.Outcome.OPEN).select_related("message").first()


@transaction.atomic
def contest_open(*, submission: Submission, user, body: str) -> Contest:
    """A member of the connector's company contests the decision that ended the review or
    took the version down. One open contest per submission; a decision already answered
    may be contested again (a new argument), each answer closes its own."""
    body = _body(body, "why you contest the decision")
    submission = connector_services.lock_version(submission.pk, "connector__company")
    if not user_is_member(user, submission.connector.company):
        raise PortalError("Only the connector's company may contest a decision about it.")
    decision = contested_decision(submission)
    if decision is None:
        # Also what a developer reads when an engineer moved it meanwhile (re-listed, reopened, approved).
        raise PortalError(f"There is no decision to contest: version {submission.number} is "
                          f"{submission.get_state_display().lower()} now.")
    if decision != "take_down" and submission.connector.submissions.filter(number__gt=submission.number).exists():
        raise PortalError(f"A newer version of {submission.connector.name} was submitted since; "
                          "it is the one being reviewed now.")
    if open_contest(submission) is not None:
        raise PortalError("You contested this decision already; the reviewers will answer in the conversation.")
    message = Message.objects.create(submission=submission, author=user, author_name=user.get_username(),
                                     from_engineer=False, body=body, kind=Message.Kind.CONTEST)
    contest = Contest.objects.create(submission=submission, decision=decision, message=message)
    connector_services.submission_record_milestone(submission=submission, name=CONTESTED, actor=user, reason=body)
    return contest


@transaction.atomic
def contest_answer(*, submission: Submission, user, reverse: bool, body: str) -> Contest:
    """A review engineer closes the open contest: the decision stands, or it is reversed."""
    if not user_is_review_engineer(user):
        raise PortalError("Only a review engineer answers a contest.")
    body = _body(body, "your answer to the developers")
    submission = connector_services.lock_version(submission.pk, "connector__company")
    contest = submission.contests.select_for_update().filter(outcome=Contest.Outcome.OPEN).first()
    if contest is None:
        raise PortalError("There is no open contest on this submission: it was answered already.")
    if reverse:
        _reverse(submission, contest.decision, user, body)
    kind = Message.Kind.REVERSED if reverse else Message.Kind.UPHELD
    answer = Message.objects.create(submission=submission, author=user, author_name=user.get_username(),
                                    from_engineer=True, body=body, kind=kind)
    contest.outcome = Contest.Outcome.REVERSED if reverse else Contest.Outcome.UPHELD
    contest.answer, contest.closed_by, contest.closed_at = answer, user, timezone.now()
    contest.save(update_fields=["outcome", "answer", "closed_by", "closed_at"])
    connector_services.submission_record_milestone(
        submission=submission, name=REVERSED if reverse else UPHELD, actor=user, reason=body)
    return contest


def _reverse(submission: Submission, decision: str, user, body: str) -> None:
    """Undo `decision` through its transition back; refused (and nothing stored) when the
    submission moved since, so a reversal never acts on a state it did not see."""
    if contested_decision(submission) != decision:
        raise PortalError(f"Version {submission.number} is {submission.get_state_display().lower()} now, not "
                          f"{DECISION_WORDS.get(decision, decision)}: there is nothing to reverse. "
                          "Answer that the decision stands, with what happened.")
    why = f"Contest reversed: {body}"
    if decision == "take_down":
        connector_services.submission_relist(submission=submission, user=user, reason=why)
        return
    if submission.connector.submissions.filter(number__gt=submission.number).exists():
        raise PortalError(f"A newer version of {submission.connector.name} was submitted since: review that one "
                          "instead, and answer that this decision stands.")
    connector_services.submission_reopen(submission=submission, user=user, reason=why)
    # Every phase that did not pass waits for an engineer again; a machine phase too,
    # signed off by hand since its checks found what the engineer has now overruled.
    for row in submission.phases.select_for_update():
        if row.status == PhaseStatus.PASSED:
            continue
        row.status = PhaseStatus.NEEDS_REVIEW
        if row.phase not in HUMAN_PHASES:
            row.details = {**row.details, REOPENED_KEY: True}
        row.save(update_fields=["status", "details"])
    review_rows_changed(submission.pk)
