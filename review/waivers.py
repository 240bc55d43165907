"""Waivers: an engineer's decision that a finding does not apply to one connector.

A waiver matches by rule, file and an anchor (finding_anchor): the content of the
flagged line (whitespace at the ends ignored), so it follows the code when lines move
and ends when the flagged line changes; for a finding made by what a run sent, also
what went where (its message); for a finding without a line, the file's content. Granting and revoking are review engineers' writes, each recorded in the
submission's history; a developer can do neither (the services check, not only the
views). Matching happens when a review run stores its findings (review.services).
"""

from __future__ import annotations

import hashlib
import re
from datetime import date

from django.db import transaction
from django.utils import timezone

from connectors import services as connector_services
from connectors.models import Submission
from portal.errors import PortalError
from portal.permissions import user_is_review_engineer
from review.models import Finding, Waiver

# How review/engine/rules/data_flow.py's credential-spread names the site it is about.
SPREAD_SITE = re.compile(r"and site (\S+) is another site\.$")
MAX_REASON = 2000
MAX_ANCHOR = 2000  # a minified line can be huge; the hash covers all of it, the stored text is cut


class WaiverRefused(PortalError):
    status = 403


def line_text(scripts: dict[str, str], file: str, line: int | None) -> str | None:
    """The stripped content of `file`'s line `line`, or None when there is no such line."""
    source = scripts.get(file)
    if source is None or not line:
        return None
    lines = source.splitlines()
    return lines[line - 1].strip() if 0 < line <= len(lines) else None


# Findings made by what a run sent where: the line's text does not make them (a variable
# defined elsewhere may hold the target), so their anchor also holds the message, which
# names the site, the method and what was sent.
SENT_RULES = frozenset({"data-exfiltration", "credential-spread", "data-forwarding", "external-request"})


def finding_anchor(scripts: dict[str, str], rule: str, file: str, line: int | None, message: str) -> str:
    """What a waiver of this finding is tied to.

    `line:` the flagged line; `sent:` the flagged line and what went where (SENT_RULES; for
    credential-spread the site the secret reached, so a waiver covers that site only);
    `file:` the whole file's content hash and the message, for a finding without a line
    in a script (minified-code: other obfuscated code must not inherit the waiver);
    `message:` the message, for a finding of no script.
    """
    text = line_text(scripts, file, line)
    if text is not None:
        site = SPREAD_SITE.search(message or "") if rule == "credential-spread" else None
        if site:  # the site the secret reached is what an engineer judged, not the header it went in
            return f"sent:{text}\nsite:{site.group(1)}"
        return f"sent:{text}\n{message}" if rule in SENT_RULES else f"line:{text}"
    source = scripts.get(file)
    if source is not None:
        return f"file:{hashlib.sha256(source.encode('utf-8', 'surrogatepass')).hexdigest()}\n{message}"
    return f"message:{message}"


def anchor_hash(rule: str, file: str, anchor: str) -> str:
    return hashlib.sha256("\x00".join((rule, file or "", anchor)).encode("utf-8")).hexdigest()


def active_waivers(connector_id: int, today: date | None = None) -> dict[str, Waiver]:
    """anchor hash -> the newest active waiver of the connector."""
    today = today or timezone.localdate()
    waivers: dict[str, Waiver] = {}
    for waiver in Waiver.objects.filter(connector_id=connector_id, revoked_at__isnull=True).order_by("granted_at"):
        if waiver.is_active(today):
            waivers[waiver.anchor_hash] = waiver
    return waivers


def match(waivers: dict[str, Waiver], scripts: dict[str, str], rule: str, file: str, line: int | None,
          message: str) -> Waiver | None:
    if not waivers:
        return None
    return waivers.get(anchor_hash(rule, file, finding_anchor(scripts, rule, file, line, message)))


def _record(submission: Submission, name: str, actor, reason: str) -> None:
    # A milestone: a history row with no state move and no email (connectors.transitions).
    connector_services.submission_record_milestone(submission=submission, name=name, reason=reason, actor=actor)


def _check_engineer(user) -> None:
    if not user_is_review_engineer(user):
        raise WaiverRefused("Only review engineers can waive findings or revoke waivers.")


@transaction.atomic
def waiver_grant(*, finding: Finding, engineer, reason: str, expires_on: date | None = None) -> Waiver:
    """Waive `finding` for its connector from now on, and mark it (and its twins) on its own version."""
    _check_engineer(engineer)
    reason = (reason or "").strip()
    if not reason:
        raise WaiverRefused("Say why the finding does not apply: a waiver needs a reason.")
    if len(reason) > MAX_REASON:
        raise WaiverRefused(f"Shorten the reason to {MAX_REASON:,} characters or fewer.")
    if expires_on is not None and expires_on < timezone.localdate():
        raise WaiverRefused("The expiry date is in the past; give a later date or none (until this code changes).")
    submission = connector_services.lock_version(finding.submission_id)
    finding = Finding.objects.select_related("waiver").get(pk=finding.pk)  # under the lock: no double waiver
    if finding.waiver_id and finding.waiver.is_active(timezone.localdate()):
        raise WaiverRefused(f"This finding is waived already (by {finding.waiver.granted_by_name}); "
                            "revoke that waiver first to change it.")
    anchor = finding_anchor(submission.scripts, finding.rule, finding.file, finding.line, finding.message)
    digest = anchor_hash(finding.rule, finding.file, anchor)
    waiver = Waiver.objects.create(
        connector_id=submission.connector_id, rule=finding.rule, file=finding.file, anchor=anchor[:MAX_ANCHOR],
        anchor_hash=digest, reason=reason, expires_on=expires_on, granted_by=engineer,
        granted_by_name=engineer.get_username(), granted_on=submission,
    )
    for other in submission.findings.filter(rule=finding.rule, file=finding.file, waiver__isnull=True):
        if other.pk == finding.pk or anchor_hash(other.rule, other.file, finding_anchor(
                submission.scripts, other.rule, other.file, other.line, other.message)) == digest:
            other.waiver = waiver
            other.save(update_fields=["waiver"])
    where = f"{finding.file}:{finding.line}" if finding.file and finding.line else (finding.file or "the connector")
    _record(submission, "waive", engineer,
            f"Waived {finding.rule} at {where} ({waiver.until_label}): {reason}")
    return waiver


@transaction.atomic
def waiver_revoke(*, waiver: Waiver, engineer) -> Waiver:
    """End a waiver: later reviews report the finding again. Findings already stored keep
    the link, so a decided review still shows what was waived when it was decided."""
    _check_engineer(engineer)
    waiver = Waiver.objects.select_for_update().get(pk=waiver.pk)
    if waiver.revoked_at is not None:
        raise WaiverRefused("This waiver was revoked already.")
    waiver.revoked_at = timezone.now()
    waiver.revoked_by = engineer
    waiver.revoked_by_name = engineer.get_username()
    waiver.save(update_fields=["revoked_at", "revoked_by", "revoked_by_name"])
    latest = Submission.objects.filter(connector_id=waiver.connector_id).order_by("-number").first()
    if latest is not None:
        _record(latest, "revoke_waiver", engineer,
                f"Revoked the waiver of {waiver.rule} in {waiver.file or 'the connector'} "
                f"granted by {waiver.granted_by_name}: {waiver.reason}")
    return waiver
