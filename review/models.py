"""Review phases and their findings, one row per phase per submission."""

from django.conf import settings
from django.db import models

from connectors.models import Connector, Submission


class Phase(models.TextChoices):
    # Declared in the order the review runs them (design.md).
    AUTOMATED = "automated", "Automated tests"
    SECURITY = "security", "Security test"
    PERFORMANCE = "performance", "Performance test"
    CODE_REVIEW = "code_review", "Code review"


PHASE_ORDER = {value: index for index, value in enumerate(Phase.values)}
HUMAN_PHASES = (Phase.SECURITY, Phase.CODE_REVIEW)


class PhaseStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"
    NEEDS_REVIEW = "needs_review", "Needs review"
    ERROR = "error", "Checks delayed"


class ReviewPhase(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="phases")
    phase = models.CharField(max_length=20, choices=Phase.choices)
    position = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=20, choices=PhaseStatus.choices, default=PhaseStatus.PENDING, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    engineer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.TextField(blank=True)
    # What the machine measured: timings, the requests the sandbox saw, the performance table.
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["submission", "position"]
        constraints = [models.UniqueConstraint(fields=["submission", "phase"], name="one_row_per_phase")]

    def __str__(self) -> str:
        return f"{self.get_phase_display()}: {self.get_status_display()}"

    def save(self, *args, **kwargs):
        self.position = PHASE_ORDER[self.phase]
        super().save(*args, **kwargs)


class Severity(models.TextChoices):
    ERROR = "error", "Error"
    WARNING = "warning", "Warning"


class Finding(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="findings")
    review_phase = models.ForeignKey(ReviewPhase, on_delete=models.CASCADE, related_name="findings")
    rule = models.CharField(max_length=60)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    phase = models.CharField(max_length=20, choices=Phase.choices)
    file = models.CharField(max_length=255, blank=True)
    line = models.PositiveIntegerField(null=True, blank=True)
    column = models.PositiveIntegerField(null=True, blank=True)
    message = models.TextField()
    hint = models.TextField(blank=True)
    # Set when the finding was stored (or when an engineer waived it): a waived error
    # does not fail its phase. The Waiver model is declared below.
    waiver = models.ForeignKey("Waiver", on_delete=models.SET_NULL, null=True, blank=True, related_name="findings")

    class Meta:
        # Stored in the engine's reading order (review.engine.findings.reading_order):
        # causes before consequences in every view that lists them.
        ordering = ["file", "pk"]

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{self.rule} {where}"


class InstructionsAccess(models.Model):
    """One row per read of a submission's Additional Instructions (the test credentials).

    The username is copied so the log still says who read them after the user is deleted.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="instructions_reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    username = models.CharField(max_length=150)
    accessed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-accessed_at", "-pk"]
        verbose_name = "Additional Instructions read"
        verbose_name_plural = "Additional Instructions access log"

    def __str__(self) -> str:
        return f"{self.username} read the instructions of {self.submission_id} at {self.accessed_at:%Y-%m-%d %H:%M}"


class SentEmail(models.Model):
    """One row per email the pipeline sent, keyed so a retried or duplicated task
    (django-q2 re-delivers a task whose worker died) never mails the developers twice."""

    key = models.CharField(max_length=120, unique=True)
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="sent_emails")
    kind = models.CharField(max_length=40)
    recipients = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} for submission {self.submission_id}"


class Waiver(models.Model):
    """An engineer's decision that one finding does not apply to one connector.

    It matches a later finding by rule, file and its anchor (review.waivers.finding_anchor),
    never by line number: moving the code keeps the waiver, changing what it waived ends
    it. `expires_on` None means "until this code changes". Granted and revoked only by
    review engineers (review.waivers).
    """

    connector = models.ForeignKey(Connector, on_delete=models.CASCADE, related_name="waivers")
    rule = models.CharField(max_length=60)
    file = models.CharField(max_length=255, blank=True)
    anchor = models.TextField(help_text="What the waiver is tied to (review.waivers.finding_anchor): the flagged "
                                        "line's content, with what went where for a finding of what a run sent, or "
                                        "the file's content hash when there is no line.")
    anchor_hash = models.CharField(max_length=64, db_index=True)
    reason = models.TextField()
    expires_on = models.DateField(null=True, blank=True, help_text="Empty: until this code changes.")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    granted_by_name = models.CharField(max_length=150)
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_on = models.ForeignKey(Submission, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    revoked_by_name = models.CharField(max_length=150, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.rule} waived in {self.file or 'the connector'}"

    def is_active(self, today) -> bool:
        return self.revoked_at is None and (self.expires_on is None or self.expires_on >= today)

    @property
    def until_label(self) -> str:
        return f"until {self.expires_on:%Y-%m-%d}" if self.expires_on else "until this code changes"

    def as_json(self) -> dict:
        return {
            "by": self.granted_by_name,
            "reason": self.reason,
            "granted_at": self.granted_at.isoformat() if self.granted_at else None,
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
            "until_code_changes": self.expires_on is None,
            "revoked": self.revoked_at is not None,
        }
class Message(models.Model):
    """One message of a submission's conversation: a reviewer's question or the developers'
    answer (Domo: "we will contact you with any questions"). Read by the company's members
    and the review engineers only; each is emailed to the other side and kept in the history.

    The author's name is copied so the thread still reads right after the user is deleted.
    """

    class Kind(models.TextChoices):
        MESSAGE = "message", "Message"
        # review.contests: the developers' contest of a decision, and the engineer's answer.
        CONTEST = "contest", "Contests the decision"
        UPHELD = "upheld", "The decision stands"
        REVERSED = "reversed", "The decision is reversed"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    author_name = models.CharField(max_length=150)
    from_engineer = models.BooleanField()
    body = models.TextField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MESSAGE)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        side = "reviewer" if self.from_engineer else "developer"
        return f"{self.author_name} ({side}) on {self.submission_id}"


class Contest(models.Model):
    """The developers contest a decision (changes requested, failed checks, a take-down);
    an engineer's answer closes it, the decision upheld or reversed (review.contests).

    The words are Messages of the conversation; this row is what the queue filters on and
    what makes a second contest of the same submission wait for the answer to the first.
    """

    class Outcome(models.TextChoices):
        OPEN = "", "Open"
        UPHELD = "upheld", "Upheld"
        REVERSED = "reversed", "Reversed"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="contests")
    decision = models.CharField(max_length=40, help_text="The transition contested (connectors.transitions).")
    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True, default=Outcome.OPEN)
    answer = models.OneToOneField(Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            # The service checks first, for the message; this holds when two contests race.
            models.UniqueConstraint(fields=["submission"], condition=models.Q(outcome=""), name="one_open_contest"),
        ]

    def __str__(self) -> str:
        return f"Contest of {self.decision} on {self.submission_id} ({self.get_outcome_display().lower()})"

    @property
    def is_open(self) -> bool:
        return self.outcome == self.Outcome.OPEN


class CheckNowCount(models.Model):
    """How many Check nows a user asked for in one fixed window (review.check_now_count).

    A row in the database rather than a cache key: the cache of `make run` is a folder
    (FileBasedCache), whose incr is a read then a write, so two requests at once could
    both read the same count; a row is moved by one UPDATE under the database's lock.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    window = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "window"], name="one_check_now_count_per_window")]

    def __str__(self) -> str:
        return f"{self.user_id} in window {self.window}: {self.count}"
