"""Carry over what did not change (issue 21, item 3).

A version whose code (connectors.code_identity: the scripts, the hosts, the sign-in and the
parameters as the scripts see them) is the newest approved version's keeps that version's
Security test and Code review: the engineers looked at exactly this code. The machine's
phases run again as on every version (the samples, the reports or the rules may have
changed); when they pass, the portal approves the version itself ("auto_approve" in the
transitions table) and the engineers find it in the review queue's "Recently
auto-approved" list for a later look. Any other change to the code, or
REVIEW_CARRY_OVER = False, and the engineers sign off again, as before.

Only from the newest version that passed a review, and only while it is approved: when
that one was taken down or unpublished, its code is what was taken out of use, so nothing
carries over from it, nor from an older approved version behind it. Nor from a version
approved for one company to a public one: that is a wider use, reviewed again.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from connectors import services as connector_services
from connectors.code_identity import code_of
from connectors.models import DELISTED_STATES, ReviewState, Submission, Visibility
from review.models import HUMAN_PHASES, Phase, PhaseStatus, ReviewPhase

# The versions that passed a review at some point, in or out of use now.
REVIEWED_STATES = (ReviewState.APPROVED, *DELISTED_STATES)


def carry_over_source(submission: Submission) -> Submission | None:
    """The approved version whose sign-offs `submission` may keep, or None.

    Read under its row lock, so a take-down of that version is either seen here or comes
    after this review's decision, never half of each. The review holds its connector's row
    already (review.services._store, connectors' lock_version), which every other
    writer of the connector's versions takes first: the lock never waits on a half-done change.
    """
    if not getattr(settings, "REVIEW_CARRY_OVER", True) or submission.number <= 1:
        return None
    # Which version is the newest reviewed one cannot change under us: only open versions
    # are approved, and this one's submit ended every older open review.
    newest_pk = (
        Submission.objects.filter(connector_id=submission.connector_id, number__lt=submission.number,
                                  state__in=REVIEWED_STATES)
        .order_by("-number").values_list("pk", flat=True).first()
    )
    if newest_pk is None:
        return None
    newest = Submission.objects.select_for_update().defer("bundle", "instructions").get(pk=newest_pk)
    if newest.state != ReviewState.APPROVED:
        return None
    if submission.visibility == Visibility.PUBLIC and newest.visibility != Visibility.PUBLIC:
        # Not code, but the engineers approved it for one company: every company's use is
        # the longer public review (domain.md), so a widening is reviewed again.
        return None
    if code_of(newest.manifest, newest.scripts) != code_of(submission.manifest, submission.scripts):
        return None
    return newest


def _signed_by(row: ReviewPhase) -> str:
    return row.engineer.get_username() if row.engineer else ""


def carry_over(submission: Submission, phases: dict[str, ReviewPhase]) -> bool:
    """Once the machine's phases passed (review.services._store, under the submission's lock):
    keep the approved version's sign-offs and approve. False, and nothing written, when
    there is nothing to carry over; the engineers then sign off as usual."""
    source = carry_over_source(submission)
    if source is None:
        return False
    signed = {
        row.phase: row
        for row in source.phases.filter(phase__in=HUMAN_PHASES, status=PhaseStatus.PASSED).select_related("engineer")
    }
    machine_passed = all(phases[name].status == PhaseStatus.PASSED for name in (Phase.AUTOMATED, Phase.PERFORMANCE))
    if len(signed) != len(HUMAN_PHASES) or not machine_passed or phases[Phase.SECURITY].status == PhaseStatus.FAILED:
        return False
    now = timezone.now()
    words = []
    for name in HUMAN_PHASES:
        original = signed[name]
        # A sign-off carried twice still names the engineer and the version they signed it on.
        earlier = (original.details or {}).get("carried_over") or {}
        record = {
            "from_number": source.number,
            "signed_by": earlier.get("signed_by", _signed_by(original)),
            "signed_on": earlier.get("signed_on", source.number),
            "signed_at": earlier.get("signed_at", original.finished_at.isoformat() if original.finished_at else None),
        }
        row = phases[name]
        row.status = PhaseStatus.PASSED
        row.engineer = original.engineer
        row.note = ""
        row.finished_at = now
        row.details = {**row.details, "carried_over": record}
        row.save(update_fields=["status", "engineer", "note", "finished_at", "details"])
        words.append(f"{row.get_phase_display().lower()} signed off by {record['signed_by'] or 'an engineer'}"
                     f" on version {record['signed_on']}")
    reason = f"Carried over from version {source.number}, whose code is the same: {'; '.join(words)}."
    connector_services.submission_record_milestone(submission=submission, name="sign_offs_carried_over", reason=reason)
    connector_services.submission_auto_approve(
        submission=submission,
        reason=f"The code is unchanged since version {source.number}, which the engineers approved; "
               "the automated and performance tests passed again.",
    )
    return True
