"""What changed since the last approved version, for the pages that show a submission.

The admin's submission page and the developer's status window both call these; the
diff itself is review.pages.version_diff. A version is compared with the newest approved
version of the same connector older than it; with none, there is nothing to compare.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from django.core.cache import cache

from connectors.bundle.reader import read_bundle
from connectors.models import Submission
from review.pages.version_diff import VersionDiff, cached_version_diff, line_origins, version_diff
from review.selectors import last_approved_before


def submission_changes(submission: Submission, base: Submission | None = None) -> VersionDiff | None:
    base = base or last_approved_before(submission)
    if base is None:
        return None

    def build() -> VersionDiff:
        old = Submission.objects.values_list("bundle", flat=True).get(pk=base.pk)
        new = Submission.objects.values_list("bundle", flat=True).get(pk=submission.pk)
        return version_diff(read_bundle(bytes(old)), read_bundle(bytes(new)), base.number, submission.number)

    diff = cached_version_diff(base.content_hash, submission.content_hash, build)
    # The same content can come back under other numbers (a resubmission of the same code).
    return replace(diff, base_number=base.number, number=submission.number)


def mark_finding_origins(submission: Submission, findings, base: Submission | None) -> None:
    """Set `unchanged_since` (the approved version's number) on each finding whose line
    was already in that version, and `is_new` on each finding on a changed or added line."""
    scripts = submission.scripts or {}
    base_scripts = (base.scripts or {}) if base else {}
    origins = {}
    for finding in findings:
        finding.unchanged_since = None
        finding.is_new = False
        if base is None or not finding.file or not finding.line or finding.file not in scripts:
            continue
        if finding.file not in origins:
            origins[finding.file] = _cached_origins(base, submission, finding.file, base_scripts, scripts)
        if finding.line in origins[finding.file]:
            finding.unchanged_since = base.number
        else:
            finding.is_new = True


def _cached_origins(base: Submission, submission: Submission, path: str, base_scripts: dict, scripts: dict) -> dict:
    # Matching a 1 MiB script costs ~0.5 s (bench/version_diff_speed.py) and the status
    # window is reloaded often; both versions are immutable, so their hashes name the answer.
    digest = hashlib.sha256(f"{base.content_hash}:{submission.content_hash}:{path}".encode()).hexdigest()[:32]
    key = f"line-origins:v1:{digest}"
    origins = cache.get(key)
    if origins is None:
        origins = line_origins(base_scripts.get(path), scripts[path])
        cache.set(key, origins, 60 * 60 * 24 * 7)
    return origins
