"""One review summary: what the status window, the admin page, the emails and the API show.

ReviewPhase.details is the engine's JSON as stored; it is read here, once, into typed
rows, so no page reads it by string keys. Build it with review_summary(submission) from
a submission fetched through a tenant-scoped selector (or the admin's queryset).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from connectors.models import ENDED_STATES, Submission
from review.engine.findings import reading_order
from review.limits import RECORDS_PER_5_MIN_REQUIRED
from review.models import HUMAN_PHASES, Finding, Phase, PhaseStatus, ReviewPhase, Severity


@dataclass(frozen=True)
class ObservedRequest:
    """One request the sandbox saw during the smoke run."""

    report: str | None
    method: str
    url: str
    host: str
    declared: bool
    matched: bool

    @classmethod
    def from_details(cls, row: dict) -> ObservedRequest:
        return cls(
            report=row.get("report"),
            method=str(row.get("method", "")),
            url=str(row.get("url", "")),
            host=str(row.get("host", "")),
            declared=bool(row.get("declared")),
            matched=bool(row.get("matched")),
        )


@dataclass(frozen=True)
class PerformanceRow:
    """One report's projection against the 1,000 records per 5 minutes floor."""

    report: str
    records: int
    requests: int
    cpu_seconds: float | None
    modeled_seconds: float | None
    records_per_5_min: int | None
    passed: bool | None  # None: not measured

    @classmethod
    def from_details(cls, row: dict) -> PerformanceRow:
        return cls(
            report=str(row.get("report", "")),
            records=int(row.get("records") or 0),
            requests=int(row.get("requests") or 0),
            cpu_seconds=row.get("cpu_seconds"),
            modeled_seconds=row.get("modeled_seconds"),
            records_per_5_min=row.get("records_per_5_min"),
            passed=row.get("passed"),
        )


@dataclass(frozen=True)
class SiteFlow:
    """One site the scripts sent requests to: did it supply data, and what did it receive.

    The engineer's Security Test starts here: a site that only receives is where
    credentials or data could leak to (bundle-format.md, "Data flow").
    """

    site: str
    hosts: tuple[str, ...]
    supplied_data: bool
    credentials: tuple[str, ...]  # metadata.account fields whose secret values it received
    data_from: tuple[str, ...]  # other sites whose data it received

    @classmethod
    def from_details(cls, row: dict) -> SiteFlow:
        return cls(
            site=str(row.get("site", "")),
            hosts=tuple(str(h) for h in row.get("hosts") or []),
            supplied_data=bool(row.get("supplied_data")),
            credentials=tuple(str(c) for c in row.get("credentials") or []),
            data_from=tuple(str(d) for d in row.get("data_from") or []),
        )

    @property
    def only_received(self) -> bool:
        return not self.supplied_data

    @property
    def took_something(self) -> bool:
        """A site that supplied nothing yet received credentials or data: look here first."""
        return self.only_received and bool(self.credentials or self.data_from)


@dataclass(frozen=True)
class RunLog:
    """The DOMO.log lines one sandbox run kept (the first 200, secrets masked)."""

    file: str
    report: str | None
    lines: tuple[str, ...]
    count: int

    @classmethod
    def from_details(cls, row: dict) -> RunLog:
        lines = tuple(str(line) for line in row.get("lines") or [])
        return cls(file=str(row.get("file") or ""), report=row.get("report"),
                   lines=lines, count=max(int(row.get("count") or 0), len(lines)))

    @property
    def label(self) -> str:
        return f"report {self.report}" if self.report else self.file

    @property
    def cut(self) -> bool:
        return self.count > len(self.lines)


@dataclass(frozen=True)
class CarriedSignOff:
    """An engineer's sign-off kept from an approved version with the same code (review.carry_over)."""

    from_number: int  # the approved version it was carried from
    signed_by: str  # the engineer who signed it off ("" when their account is gone)
    signed_on: int  # the version they signed it on (older than from_number when carried twice)

    @classmethod
    def from_details(cls, row: dict | None) -> CarriedSignOff | None:
        if not row:
            return None
        number = int(row.get("from_number") or 0)
        return cls(from_number=number, signed_by=str(row.get("signed_by") or ""),
                   signed_on=int(row.get("signed_on") or number))

    @property
    def sentence(self) -> str:
        """"carried over from version 3, signed by erin" (and where, when signed further back)."""
        by = self.signed_by or "an engineer"
        on = f" on version {self.signed_on}" if self.signed_on != self.from_number else ""
        return f"carried over from version {self.from_number}, signed by {by}{on}"


def handed_to_engineer(row: ReviewPhase) -> bool:
    """A machine phase whose checks could not finish, or whose failure an engineer reversed
    on a contest (review.contests): an engineer signs it off by hand."""
    details = row.details or {}
    return row.phase not in HUMAN_PHASES and bool(details.get("could_not_finish") or details.get("reopened_by_contest"))


@dataclass
class PhaseSummary:
    row: ReviewPhase
    findings: list[Finding]
    review_ended: bool = False

    @property
    def phase(self) -> str:
        return self.row.phase

    @property
    def status(self) -> str:
        return self.row.status

    @property
    def label(self) -> str:
        return self.row.get_phase_display()

    @property
    def decided(self) -> bool:
        # RUNNING too: a run the review ended under still finishes and stores its result.
        return self.row.status in (PhaseStatus.PASSED, PhaseStatus.FAILED, PhaseStatus.RUNNING)

    @property
    def status_key(self) -> str:
        """data-status: the row's status, or how an ended review left an undecided phase."""
        if self.review_ended and not self.decided:
            return "not-reached" if self.row.status == PhaseStatus.PENDING else "not-decided"
        return self.row.status

    @property
    def status_label(self) -> str:
        """One set of words for the developer and the engineers alike. Once the review
        ended (withdrawn, changes requested) nothing waits or runs any more: each phase says
        how it ended, or that the review never reached it."""
        status = self.row.status
        if self.review_ended and not self.decided:
            return {
                PhaseStatus.PENDING: "Not reached",
                PhaseStatus.NEEDS_REVIEW: "Not signed off: the review ended",
                PhaseStatus.ERROR: "Not finished: the review ended",
            }.get(status, self.row.get_status_display())
        if status == PhaseStatus.NEEDS_REVIEW:
            return "Waiting for an engineer"
        if status == PhaseStatus.RUNNING and self.row.phase in HUMAN_PHASES:
            # The Security test's automated part runs with the machine's run; the phase
            # itself is an engineer's, afterwards.
            return "Automated checks running"
        return self.row.get_status_display()

    @property
    def finished_label(self) -> str:
        """What the row's finished_at marks: an engineer's phase that waits for a sign-off
        was finished only by its automated part."""
        signed = self.row.status in (PhaseStatus.PASSED, PhaseStatus.FAILED)
        return "finished" if signed or not self.is_human else "automated checks finished"

    @property
    def is_human(self) -> bool:
        """An engineer signs this phase off: a human phase, or a machine phase handed over."""
        return self.row.phase in HUMAN_PHASES or handed_to_engineer(self.row)

    @property
    def could_not_finish(self) -> bool:
        return handed_to_engineer(self.row) and bool((self.row.details or {}).get("could_not_finish"))

    @property
    def carried_over(self) -> CarriedSignOff | None:
        return CarriedSignOff.from_details((self.row.details or {}).get("carried_over"))


@dataclass
class ReviewSummary:
    submission: Submission
    phases: list[PhaseSummary]
    requests: list[ObservedRequest] = field(default_factory=list)
    performance: list[PerformanceRow] = field(default_factory=list)
    performance_floor: int = RECORDS_PER_5_MIN_REQUIRED
    sites: list[SiteFlow] = field(default_factory=list)
    logs: list[RunLog] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [finding for phase in self.phases for finding in phase.findings]

    @property
    def errors(self) -> list[Finding]:
        """The findings that fail the review: errors no engineer's waiver covers."""
        return [f for f in self.findings if f.severity == Severity.ERROR and not f.waiver_id]

    @property
    def waived(self) -> list[Finding]:
        """Findings an engineer waived: shown (by whom, why, until when), never failing."""
        return [f for f in self.findings if f.waiver_id]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.WARNING]

    @property
    def declared_hosts(self) -> list[str]:
        return list((self.submission.manifest or {}).get("hosts", []))

    @property
    def undeclared_requests(self) -> int:
        return sum(1 for request in self.requests if not request.declared)

    @property
    def all_passed(self) -> bool:
        passed = {p.phase for p in self.phases if p.status == PhaseStatus.PASSED}
        return passed == set(Phase.values)

    def machine_still_running(self) -> bool:
        """Whether the machine still has work to do, so a page should keep refreshing.

        A pending human-only phase waits for an engineer, possibly for days, so only
        phases the machine runs count; once the review has ended nothing runs any more.
        """
        if not self.submission.is_open:
            return False
        if not self.phases:
            return True  # the run is queued on submit and creates the rows when it starts
        return any(
            p.status == PhaseStatus.RUNNING or (p.status == PhaseStatus.PENDING and p.phase != Phase.CODE_REVIEW)
            for p in self.phases
        )


def review_summary(submission: Submission) -> ReviewSummary:
    """The review of `submission` as one typed object (two queries: phases, findings)."""
    rows = list(submission.phases.select_related("engineer").order_by("position"))
    findings: dict[int, list[Finding]] = defaultdict(list)
    for finding in Finding.objects.filter(review_phase__in=rows).select_related("waiver").order_by(
            "file", "line", "column", "pk"):
        findings[finding.review_phase_id].append(finding)
    ended = submission.state in ENDED_STATES
    summary = ReviewSummary(submission, [PhaseSummary(row, findings[row.pk], ended) for row in rows])
    for row in rows:
        details = row.details or {}
        if row.phase == Phase.AUTOMATED:
            summary.requests = [ObservedRequest.from_details(r) for r in details.get("requests") or []]
            summary.logs = [RunLog.from_details(r) for r in details.get("logs") or []]
        elif row.phase == Phase.SECURITY:
            summary.sites = [SiteFlow.from_details(r) for r in details.get("sites") or []]
        elif row.phase == Phase.PERFORMANCE:
            summary.performance = [PerformanceRow.from_details(r) for r in details.get("performance") or []]
    return summary


def review_feedback_for_editor(submission: Submission):
    """What the editor shows after a review that did not approve: every finding and the
    notes of the phases an engineer failed (registered in review.apps, because connectors
    does not import review)."""
    from connectors.editor_findings import EditorFinding, ReviewFeedback

    summary = review_summary(submission)
    findings = sorted(
        (
            EditorFinding(severity=f.severity, rule=f.rule, message=f.message, hint=f.hint, file=f.file,
                          line=f.line, column=f.column, phase=f.get_phase_display())
            for f in summary.findings
        ),
        key=lambda f: (f.file or "", reading_order(f)),
    )
    notes = [
        (phase.label, phase.row.note)
        for phase in summary.phases
        if phase.is_human and phase.status == PhaseStatus.FAILED and phase.row.note
    ]
    return ReviewFeedback(submission=submission, findings=findings, notes=notes)
