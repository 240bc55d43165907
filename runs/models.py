"""A live run of a connector version, and an account a user saved to run with."""

from django.conf import settings
from django.db import models

from connectors.models import Company, Submission
from portal.fields import EncryptedTextField


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


ACTIVE = (RunStatus.QUEUED, RunStatus.RUNNING)


class LiveRun(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_runs")
    # The company the run counts against (the user's company that owns the connector,
    # or, for a public connector, the user's first company): its limits hold per company.
    company = models.ForeignKey(Company, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="live_runs")
    kind = models.CharField(max_length=10)  # "beta", "private" or "public": the page it ran from
    report = models.CharField(max_length=200)
    parameters = models.JSONField(default=dict, blank=True)  # never the account's values
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED, db_index=True)
    outcome = models.TextField(blank=True)  # what the user reads: masked
    rows = models.PositiveIntegerField(default=0)
    bytes = models.PositiveBigIntegerField(default=0)
    requests = models.PositiveIntegerField(default=0)
    duration_seconds = models.FloatField(null=True, blank=True)
    columns = models.JSONField(default=list, blank=True)
    first_rows = models.JSONField(default=list, blank=True)
    log_lines = models.JSONField(default=list, blank=True)
    # Its name in the "live_runs" storage (runs.csv_store), "" once purged or when none was made.
    csv_name = models.CharField(max_length=500, blank=True)
    csv_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Run {self.pk} of {self.submission} ({self.status})"

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


class SavedAccount(models.Model):
    """Account values a user chose to keep for a connector: encrypted at rest, only its owner uses it."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_accounts")
    connector = models.ForeignKey("connectors.Connector", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    values = EncryptedTextField()  # JSON of the auth fields' values
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["owner", "connector", "name"], name="one_saved_account_name")]

    def __str__(self):
        return self.name
