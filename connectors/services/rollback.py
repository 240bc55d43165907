"""Roll back: an earlier approved version is the one in use again (issue 21, item 2).

When a newer approved version misbehaves, an engineer, or the developers of a
company-only connector, put an earlier approved version back: every approved version
newer than it moves to "rolled back" (models.Submission.roll_back), so the earlier one
is the newest approved again and history.sync_listing lists it; the newer ones' URLs
lead to it (connectors.views.published). The restored version gets a milestone row,
whose email tells the developers; an engineer undoes it by re-listing a rolled-back
version (a roll forward).

The connector and all its versions are locked in the order listing.py locks them, so a
roll back and a take-down (or an approval) of the same connector queue behind each
other and the second one sees what the first did.
"""

from __future__ import annotations

from django.db import transaction

from connectors.labels import STATE_IN_A_SENTENCE
from connectors.models import ReviewState, Submission, Visibility, may_roll_back
from connectors.services.history import apply_transition, submission_record_milestone
from connectors.services.listing import locked_versions, required_reason
from portal.errors import TransitionRefused
from portal.permissions import user_is_review_engineer


@transaction.atomic
def submission_roll_back_to(*, submission: Submission, user, reason: str) -> list[Submission]:
    """Make `submission`, an earlier approved version, the one in use; returns the versions rolled back."""
    reason = required_reason(reason, "a roll back")
    connector, versions = locked_versions(submission.connector)
    target = next(v for v in versions if v.pk == submission.pk)
    name = f"version {target.number} of {connector.name}"
    if user is not None and not user_is_review_engineer(user) and target.visibility != Visibility.COMPANY:
        raise TransitionRefused(f"Only the review engineers can roll back to {name}: it is public, "
                                "listed in the Data Center for every company. Ask them in the status window.")
    if user is not None and not may_roll_back(target, user):
        raise TransitionRefused(f"You may not roll back to {name}.")
    if target.state != ReviewState.APPROVED:
        raise TransitionRefused(f"Cannot roll back to {name}: it is {STATE_IN_A_SENTENCE.get(target.state, target.state)}; "
                                "only an approved version can be put back in use.")
    newer = [v for v in versions if v.number > target.number and v.state == ReviewState.APPROVED]
    if not newer:
        raise TransitionRefused(f"Cannot roll back to {name}: it is already the version in use.")
    for version in reversed(newer):  # newest first; apply_transition checks each one's permission
        apply_transition(version, "roll_back", user, f"Version {target.number} is in use again: {reason}")
    # The why alone: its email reads which versions were rolled back from their states.
    submission_record_milestone(submission=target, name="rolled_back_to", actor=user, reason=reason)
    return newer
