"""What each step of a submission means to people: one table for every transition.

The state machines (models.Submission) say which moves are allowed; this table says,
per move, the words the history shows, the email it sends (a template under
templates/emails/, or None) and who may make it. django-fsm already knows each
transition's field, source and target, so they are read from it, never written here.

Adding a transition: a @transition method on Submission, one entry here, its tests.
Milestones are history rows that record something the review did without moving a
state (the automated checks passing); they follow the same path to the emails.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.permissions import user_is_review_engineer

DEVELOPER = "developer"  # a member of the connector's company
ENGINEER = "engineer"  # a review engineer
SYSTEM = "system"  # the portal itself: the review run, the scheduled jobs


@dataclass(frozen=True)
class Step:
    label: str
    email: str | None
    by: frozenset[str]


def _step(label: str, email: str | None, *by: str) -> Step:
    return Step(label, email, frozenset(by))


TRANSITIONS: dict[str, Step] = {
    "submit": _step("Submitted for review", "submitted", DEVELOPER),
    # The machine starts seconds after the submit; the checks' own email follows.
    "start_review": _step("Review started", None, SYSTEM),
    "fail_checks": _step("The automated checks found errors", "checks_failed", SYSTEM),
    "request_changes": _step("Changes requested", "changes_requested", ENGINEER),
    "approve": _step("Approved", "approved", ENGINEER),
    "withdraw": _step("Withdrawn", "withdrawn", DEVELOPER),
    "self_publish": _step("Beta published", "beta_published", DEVELOPER),
    "expire": _step("Beta expired", "beta_expired", SYSTEM),
    # A beta closes because of another change (withdrawn, approved, superseded),
    # whose own email says so.
    "close": _step("Beta closed", None, DEVELOPER, ENGINEER, SYSTEM),
}

MILESTONES: dict[str, Step] = {
    "checks_passed": _step("The automated checks passed", "checks_passed", SYSTEM),
    # Our machinery broke on every attempt: the machine's phases go to an engineer.
    "checks_not_finished": _step("The automated checks could not finish; an engineer reviews by hand",
                                 "checks_not_finished", SYSTEM),
    # An engineer's waiver of a finding (review.waivers): history only, no email.
    "waive": _step("Finding waived", None, ENGINEER),
    "revoke_waiver": _step("Waiver revoked", None, ENGINEER),
    # An engineer's pass; a fail requests changes, which is its own row and email.
    "security_signed_off": _step("Security test signed off", None, ENGINEER),
    "code_review_signed_off": _step("Code review signed off", None, ENGINEER),
    # The machine's phases, when their checks could not finish and an engineer took them.
    "automated_signed_off": _step("Automated tests signed off by an engineer", None, ENGINEER),
    "performance_signed_off": _step("Performance test signed off by an engineer", None, ENGINEER),
    # The conversation (review.conversation): each message is emailed to the other side.
    "reviewer_asked": _step("Question from the reviewers", "question", ENGINEER),
    "developer_answered": _step("Answer from the developer", "answer", DEVELOPER),
}

STEPS: dict[str, Step] = {**TRANSITIONS, **MILESTONES}


def step(name: str) -> Step:
    return STEPS[name]


def label(name: str) -> str:
    known = STEPS.get(name)
    return known.label if known else name.replace("_", " ").capitalize()


def may(name: str):
    """The django-fsm permission of transition `name`, from the table's `by`."""
    by = TRANSITIONS[name].by

    def permission(submission, user) -> bool:
        if user is None:
            return SYSTEM in by
        if ENGINEER in by and user_is_review_engineer(user):
            return True
        return DEVELOPER in by and submission.connector.company.memberships.filter(user=user).exists()

    permission.__name__ = f"may_{name}"
    return permission
