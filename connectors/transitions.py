"""What each step of a submission means to people: one table for every transition.

The state machines (models.Submission) say which moves are allowed; this table says,
per move, the words the history shows, the email it sends (its subject and its two
templates under templates/emails/, or None) and who may make it. django-fsm already knows each
transition's field, source and target, so they are read from it, never written here.

Adding a transition: a @transition method on Submission, one entry here (with its
Email, if it sends one), templates/emails/<template>.txt and .html, its tests
(docs/design.md, "One table of transitions").
Milestones are history rows that record something the review did without moving a
state (the automated checks passing); they follow the same path to the emails.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.permissions import user_is_review_engineer

DEVELOPER = "developer"  # a member of the connector's company
ENGINEER = "engineer"  # a review engineer
SYSTEM = "system"  # the portal itself: the review run, the scheduled jobs


# What a subject may name: the connector, the version and, for the beta reminder, the days left.
SUBJECT_FIELDS = {"name": "Connector", "number": 1, "days": 2, "plural": "s"}


@dataclass(frozen=True)
class Email:
    template: str  # templates/emails/<template>.txt and .html; also the kind SentEmail records
    subject: str  # str.format with SUBJECT_FIELDS' names

    def __post_init__(self):
        # Refused where it is written: a gap found by the worker is an email retried, then lost.
        if not self.template.strip() or not self.subject.strip():
            raise ValueError(f"an email needs a template and a subject: {self!r}")
        try:
            self.subject.format(**SUBJECT_FIELDS)
        except (KeyError, IndexError) as error:
            raise ValueError(
                f"the subject of {self.template!r} names {error}, not one of {', '.join(SUBJECT_FIELDS)}"
            ) from None

    @property
    def templates(self) -> tuple[str, str]:
        return f"emails/{self.template}.txt", f"emails/{self.template}.html"

    def subject_for(self, *, name: str, number: int, days: int | None = None) -> str:
        return self.subject.format(name=name, number=number, days=days, plural="" if days == 1 else "s")


@dataclass(frozen=True)
class Step:
    label: str
    email: Email | None
    by: frozenset[str]


def _step(label: str, email: Email | None, *by: str) -> Step:
    return Step(label, email, frozenset(by))


TRANSITIONS: dict[str, Step] = {
    "submit": _step("Submitted for review",
        Email("submitted", "{name} v{number} was submitted for review"), DEVELOPER),
    # The machine starts seconds after the submit; the checks' own email follows.
    "start_review": _step("Review started", None, SYSTEM),
    "fail_checks": _step("The automated checks found errors",
        Email("checks_failed", "{name} v{number}: the automated checks found errors"), SYSTEM),
    "request_changes": _step("Changes requested",
        Email("changes_requested", "{name} v{number}: changes requested"), ENGINEER),
    "approve": _step("Approved",
        Email("approved", "{name} v{number} was approved"), ENGINEER),
    # Its code is the newest approved version's (review.carry_over): the engineers'
    # sign-offs carried over and the machine's phases passed again, so nobody waits.
    "auto_approve": _step("Approved automatically: code unchanged since an approved version",
        Email("auto_approved", "{name} v{number} was approved automatically"), SYSTEM),
    "withdraw": _step("Withdrawn",
        Email("withdrawn", "{name} v{number} was withdrawn"), DEVELOPER),
    # After approval: out of the Data Center, its private URL and betas answer 410.
    "take_down": _step("Taken down by the reviewers",
        Email("taken_down", "{name} v{number} was taken down"), ENGINEER),
    "unpublish": _step("Unpublished by the developers",
        Email("unpublished", "{name} v{number} was unpublished"), DEVELOPER),
    # A take-down of the whole connector stops its open review; the take-down's email says so.
    "stop_review": _step("Review stopped: the connector was taken down", None, ENGINEER),
    "relist": _step("Re-listed",
        Email("relisted", "{name} v{number} is published again"), ENGINEER),
    # A newer approved version gives way to an earlier one (developers: company-only
    # connectors, models.may_roll_back); the restored version's milestone sends the email.
    "roll_back": _step("Rolled back: an earlier version is in use again", None, ENGINEER, DEVELOPER),
    # A contest of "Changes requested" reversed (review.contests): the contest's answer is the email.
    "reopen": _step("Back in review: the contested decision was reversed", None, ENGINEER),
    "self_publish": _step("Beta published",
        Email("beta_published", "{name} v{number}: your beta is live"), DEVELOPER),
    "expire": _step("Beta expired",
        Email("beta_expired", "{name} v{number}: your beta has expired"), SYSTEM),
    # A beta closes because of another change (withdrawn, approved, superseded),
    # whose own email says so.
    "close": _step("Beta closed", None, DEVELOPER, ENGINEER, SYSTEM),
}

MILESTONES: dict[str, Step] = {
    "checks_passed": _step("The automated checks passed",
        Email("checks_passed", "{name} v{number}: the automated checks passed"), SYSTEM),
    # Our machinery broke on every attempt: the machine's phases go to an engineer.
    "checks_not_finished": _step("The automated checks could not finish; an engineer reviews by hand",
        Email("checks_not_finished", "{name} v{number}: the automated checks could not finish"), SYSTEM),
    # An engineer's waiver of a finding (review.waivers): history only, no email.
    "waive": _step("Finding waived", None, ENGINEER),
    "revoke_waiver": _step("Waiver revoked", None, ENGINEER),
    # An engineer's pass; a fail requests changes, which is its own row and email.
    "security_signed_off": _step("Security test signed off", None, ENGINEER),
    "code_review_signed_off": _step("Code review signed off", None, ENGINEER),
    # The same sign-offs, kept from the approved version with the same code (review.carry_over).
    "sign_offs_carried_over": _step("Security test and code review carried over", None, SYSTEM),
    # The machine's phases, when their checks could not finish and an engineer took them.
    "automated_signed_off": _step("Automated tests signed off by an engineer", None, ENGINEER),
    "performance_signed_off": _step("Performance test signed off by an engineer", None, ENGINEER),
    # Who has the review (review.claims): history only; the queue shows it, nobody is emailed.
    "assigned": _step("Review assigned", None, ENGINEER),
    "unassigned": _step("Review unassigned", None, ENGINEER),
    # The earlier version a roll back put in use again (connectors.services.rollback).
    "rolled_back_to": _step("Rolled back to this version: it is in use again",
        Email("rolled_back", "{name}: v{number} is in use again (rolled back)"), ENGINEER, DEVELOPER),
    # The conversation (review.conversation): each message is emailed to the other side.
    "reviewer_asked": _step("Question from the reviewers",
        Email("question", "{name} v{number}: a question from the reviewers"), ENGINEER),
    "developer_answered": _step("Answer from the developer",
        Email("answer", "{name} v{number}: the developer answered"), DEVELOPER),
    # A contest of a decision (review.contests): the developers' text to the engineers, the
    # engineer's answer, which closes it either way, to the developers.
    "developer_contested": _step("The developers contest the decision",
        Email("contested", "{name} v{number}: the developers contest the decision"), DEVELOPER),
    "contest_upheld": _step("Contest answered: the decision stands",
        Email("contest_upheld", "{name} v{number}: the reviewers' decision stands"), ENGINEER),
    "contest_reversed": _step("Contest answered: the decision is reversed",
        Email("contest_reversed", "{name} v{number}: the reviewers reversed their decision"), ENGINEER),
}

STEPS: dict[str, Step] = {**TRANSITIONS, **MILESTONES}

# Emails that follow the clock rather than a step (review.pipeline.jobs).
REMINDERS: dict[str, Email] = {
    "beta_expiring": Email("beta_expiring", "{name} v{number}: your beta expires in {days} day{plural}"),
}


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
