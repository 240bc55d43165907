"""Review phases and their findings, one row per phase per submission."""

from django.conf import settings
from django.db import models

from connectors.models import Submission


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

    class Meta:
        ordering = ["file", "line", "column", "pk"]

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
