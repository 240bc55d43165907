"""Companies, connectors and their submissions.

State lives here with the transitions allowed on it; the transition methods have no
side effects. Locking, history, emails and queued work belong to services.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Trim, Upper
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from connectors import transitions
from connectors.labels import STATE_IN_A_SENTENCE
from connectors.transitions import may
from portal.fields import EncryptedTextField
from portal.permissions import user_is_review_engineer

CONNECTOR_NAME_CONSTRAINT = "one_connector_name_per_company"


class Company(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "companies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user develops the company's connectors. Who belongs to a company is managed by
    superusers in the admin; there is no company-admin role (it granted nothing)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "company"], name="one_membership_per_company")]

    def __str__(self) -> str:
        return f"{self.user} in {self.company}"


class AuthMethod(models.TextChoices):
    NONE = "none", "None"
    USERNAME_PASSWORD = "username_password", "Username and password"
    API_KEY = "api_key", "API key"
    OAUTH2 = "oauth2", "OAuth 2.0"
    CUSTOM = "custom", "Custom account"


class Connector(models.Model):
    """A connector as its developers edit it: the draft every submission snapshots.

    The manifest's parts are columns or JSON as bundle-format.md shapes them; files
    other than the two main scripts (icons, discovery scripts, samples) are
    ConnectorFile rows keyed by their path inside the bundle.
    """

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="connectors")
    name = models.CharField(max_length=100)
    description = models.TextField(max_length=2000, blank=True)
    auth_method = models.CharField(max_length=20, choices=AuthMethod.choices, default=AuthMethod.NONE)
    # custom: [{"key", "label", "secret"}]
    auth_fields = models.JSONField(default=list, blank=True)
    # oauth2: authorization_url, access_token_url, token_method, scope, authorization_params,
    # token_params, client_id. The client secret never travels in a bundle.
    oauth2 = models.JSONField(default=dict, blank=True)
    oauth2_client_secret = EncryptedTextField(blank=True)
    hosts = models.JSONField(default=list, blank=True)
    reports = models.JSONField(default=list, blank=True)
    parameters = models.JSONField(default=list, blank=True)
    samples = models.JSONField(default=dict, blank=True)
    authentication_script = models.TextField(blank=True)
    processdata_script = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            # The services check names first, for the message; this is what holds when two
            # saves race (case and outer spaces ignored, like selectors.connector_name_taken).
            models.UniqueConstraint("company", Upper(Trim("name")), name=CONNECTOR_NAME_CONSTRAINT),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def uses_oauth2(self) -> bool:
        return self.auth_method == AuthMethod.OAUTH2

    @property
    def has_discovery_parameter(self) -> bool:
        return any(p.get("type") == "discovery" for p in self.parameters or [])

    def beta_blockers(self) -> list[str]:
        """Why a version of this connector, as it stands, could never be self-published:
        the submission modal says so before the developer chooses "Shared with your company"."""
        return beta_blockers(uses_oauth2=self.uses_oauth2, has_discovery_parameter=self.has_discovery_parameter)


def beta_blockers(*, uses_oauth2: bool, has_discovery_parameter: bool) -> list[str]:
    # Domo's rule (domain.md): a beta only for connectors without OAuth 2.0 and without
    # discovery; their users' sign-in and option lists are tried by Domo's engineers first.
    reasons = []
    if uses_oauth2:
        reasons.append("Connectors that use OAuth 2.0 cannot be self-published.")
    if has_discovery_parameter:
        reasons.append("Connectors with a discovery parameter cannot be self-published.")
    return reasons


class ConnectorFile(models.Model):
    """A file of the connector's bundle other than connector.json and the two scripts."""

    connector = models.ForeignKey(Connector, on_delete=models.CASCADE, related_name="files")
    path = models.CharField(max_length=255)
    content = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["connector", "path"], name="one_file_per_path")]
        ordering = ["path"]

    def __str__(self) -> str:
        return self.path


class Visibility(models.TextChoices):
    COMPANY = "company", "Shared with your company"
    PUBLIC = "public", "Public to all companies"


class ReviewState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    WITHDRAWN = "withdrawn", "Withdrawn"
    # After approval (issue 21): out of the Data Center and its private URL answers 410,
    # until an engineer re-lists it; who took it out (an engineer or its developers) is
    # the state, why is the history row.
    TAKEN_DOWN = "taken_down", "Taken down"
    UNPUBLISHED = "unpublished", "Unpublished"
    # A newer approved version replaced by an earlier one (connectors.services.rollback):
    # out of use like a take-down, and its URLs lead to the version in use instead.
    ROLLED_BACK = "rolled_back", "Rolled back"


class BetaState(models.TextChoices):
    NONE = "none", "Not published"
    ACTIVE = "active", "Beta active"
    EXPIRED = "expired", "Beta expired"
    CLOSED = "closed", "Beta closed"


OPEN_STATES = (ReviewState.SUBMITTED, ReviewState.IN_REVIEW)
ENDED_STATES = (ReviewState.APPROVED, ReviewState.CHANGES_REQUESTED, ReviewState.WITHDRAWN)
# Approved once, out of use now: an engineer may re-list them (their review already ended,
# so ended_at is not stamped again).
DELISTED_STATES = (ReviewState.TAKEN_DOWN, ReviewState.UNPUBLISHED)


def may_roll_back(submission, user) -> bool:
    # Developers roll back only a company-only connector: what every company sees in
    # the Data Center is the reviewers' to change.
    if user is not None and not user_is_review_engineer(user) and submission.visibility != Visibility.COMPANY:
        return False
    return may("roll_back")(submission, user)


class Submission(ConcurrentTransitionMixin, models.Model):
    """An immutable snapshot of a connector, and where its review and beta stand.

    The review and the beta are two state machines because a beta runs while the
    review goes on.
    """

    connector = models.ForeignKey(Connector, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveIntegerField(help_text="Version number, counted per connector.")
    bundle = models.BinaryField(help_text="The snapshot as a bundle zip.")
    content_hash = models.CharField(max_length=64)
    manifest = models.JSONField(help_text="connector.json of the snapshot.")
    # Copied out of the manifest so the Data Center can list and search what was
    # approved, not whatever the developer has typed into the draft since.
    name = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    scripts = models.JSONField(default=dict, help_text="Path -> source of every script in the snapshot.")
    uses_oauth2 = models.BooleanField(default=False)
    has_discovery_parameter = models.BooleanField(default=False)

    visibility = models.CharField(max_length=10, choices=Visibility.choices)
    instructions = EncryptedTextField("Additional Instructions", blank=True)
    # Per version, never pre-filled from the one before (unlike the instructions).
    release_notes = models.TextField("What changed in this version", blank=True, max_length=5000)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="submissions"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True, help_text="When the review ended.")
    secrets_purged_at = models.DateTimeField(null=True, blank=True)

    state = FSMField(default=ReviewState.DRAFT, choices=ReviewState.choices, protected=True, db_index=True)
    beta_state = FSMField(default=BetaState.NONE, choices=BetaState.choices, protected=True, db_index=True)
    beta_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    beta_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    beta_reminded_3d_at = models.DateTimeField(null=True, blank=True)
    beta_reminded_1d_at = models.DateTimeField(null=True, blank=True)
    private_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # True on the one version the Data Center lists: the connector's newest approved
    # version, when that one is public. Kept by services.history.apply_transition on every
    # move into or out of approved, so the listing is an indexed filter, not a
    # "no newer approved version" anti-join over the whole table.
    listed = models.BooleanField(default=False, editable=False)
    # The engineer who has taken this review (review.claims): the queue shows it, and anyone
    # else acting on the review confirms first. Not a state: no transition moves it.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["connector", "number"], name="one_number_per_connector"),
        ]
        indexes = [
            models.Index(fields=["name", "id"], condition=models.Q(listed=True), name="submission_listed_by_name"),
            # The review queue: open submissions, oldest due date first, one page at a time.
            models.Index(fields=["due_at", "id"], condition=models.Q(state__in=["submitted", "in_review"]),
                         name="submission_open_by_due"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    # --- review -------------------------------------------------------------

    @transition(field=state, source=ReviewState.DRAFT, target=ReviewState.SUBMITTED, permission=may("submit"))
    def submit(self):
        pass

    @transition(field=state, source=ReviewState.SUBMITTED, target=ReviewState.IN_REVIEW, permission=may("start_review"))
    def start_review(self):
        pass

    # Whether every phase passed is the review's business: review.services checks it
    # before it calls connectors.services.submission_approve.
    @transition(field=state, source=ReviewState.IN_REVIEW, target=ReviewState.APPROVED, permission=may("approve"))
    def approve(self):
        pass

    # The same precondition, met by sign-offs carried over from the approved version whose
    # code this one repeats (review.carry_over); the portal makes this move, never a person.
    @transition(field=state, source=ReviewState.IN_REVIEW, target=ReviewState.APPROVED, permission=may("auto_approve"))
    def auto_approve(self):
        pass

    @transition(
        field=state, source=ReviewState.IN_REVIEW, target=ReviewState.CHANGES_REQUESTED, permission=may("request_changes")
    )
    def request_changes(self):
        pass

    @transition(
        field=state, source=ReviewState.IN_REVIEW, target=ReviewState.CHANGES_REQUESTED, permission=may("fail_checks")
    )
    def fail_checks(self):
        pass

    @transition(field=state, source=list(OPEN_STATES), target=ReviewState.WITHDRAWN, permission=may("withdraw"))
    def withdraw(self):
        pass

    # --- after approval (connectors.services.listing) -------------------------------

    @transition(field=state, source=ReviewState.APPROVED, target=ReviewState.TAKEN_DOWN, permission=may("take_down"))
    def take_down(self):
        pass

    @transition(field=state, source=ReviewState.APPROVED, target=ReviewState.UNPUBLISHED, permission=may("unpublish"))
    def unpublish(self):
        pass

    # An engineer's take-down of the whole connector ends its open review (withdraw is the developers').
    @transition(field=state, source=list(OPEN_STATES), target=ReviewState.WITHDRAWN, permission=may("stop_review"))
    def stop_review(self):
        pass

    # A rolled-back version re-listed is a roll forward: it is the newest approved again.
    @transition(field=state, source=[*DELISTED_STATES, ReviewState.ROLLED_BACK], target=ReviewState.APPROVED,
                permission=may("relist"))
    def relist(self):
        pass

    @transition(field=state, source=ReviewState.APPROVED, target=ReviewState.ROLLED_BACK, permission=may_roll_back)
    def roll_back(self):
        pass

    # A contested "Changes requested" reversed by an engineer (review.contests): the review goes on.
    @transition(field=state, source=ReviewState.CHANGES_REQUESTED, target=ReviewState.IN_REVIEW, permission=may("reopen"))
    def reopen(self):
        pass

    # --- beta -----------------------------------------------------------------

    def self_publish_blockers(self) -> list[str]:
        """Why this submission may not be self-published; empty when it may."""
        reasons = []
        if self.visibility != Visibility.COMPANY:
            reasons.append("Only connectors shared with your company can be self-published; this one is public.")
        reasons += beta_blockers(uses_oauth2=self.uses_oauth2, has_discovery_parameter=self.has_discovery_parameter)
        if self.state not in OPEN_STATES:
            reasons.append("Only a submission that is submitted or in review can be self-published; "
                           f"this one is {STATE_IN_A_SENTENCE.get(self.state, self.state)}.")
        return reasons

    def may_self_publish(self) -> bool:
        return not self.self_publish_blockers()

    @transition(
        field=beta_state,
        source=BetaState.NONE,
        target=BetaState.ACTIVE,
        conditions=[may_self_publish],
        permission=may("self_publish"),
    )
    def self_publish(self):
        pass

    @transition(field=beta_state, source=BetaState.ACTIVE, target=BetaState.EXPIRED, permission=may("expire"))
    def expire(self):
        pass

    @transition(field=beta_state, source=BetaState.ACTIVE, target=BetaState.CLOSED, permission=may("close"))
    def close(self):
        pass


def transition_meta(name: str):
    """django-fsm's own record of transition `name`: its field and its source -> target moves."""
    meta = getattr(getattr(Submission, name, None), "_django_fsm", None)
    if meta is None:
        raise LookupError(f"Submission has no transition {name!r}")
    return meta


def transition_names() -> list[str]:
    return [name for name in dir(Submission) if hasattr(getattr(Submission, name, None), "_django_fsm")]


class SubmissionEvent(models.Model):
    """One row per transition or milestone (connectors.transitions): the history and the email trigger."""

    class Field(models.TextChoices):
        REVIEW = "state", "Review"
        BETA = "beta_state", "Beta"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    field = models.CharField(max_length=20, choices=Field.choices)
    transition = models.CharField(max_length=40)
    source = models.CharField(max_length=20)
    target = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reason = models.TextField(blank=True)
    # The standard reasons chosen with "Request changes" or a take-down (connectors.standard_reasons
    # ids); `reason` is the engineer's own words beside them.
    reasons = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # The review queue's "Recently auto-approved" (review.selectors), on every view of
            # the queue: a few rows among every history row of every connector.
            models.Index(fields=["-created_at"], condition=models.Q(transition="auto_approve"),
                         name="auto_approved_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.transition}: {self.source} -> {self.target}"

    @property
    def label(self) -> str:
        """What people read in the history (connectors.transitions)."""
        return transitions.label(self.transition)

    @property
    def standard_reasons(self):
        """The chosen standard reasons, for the history (connectors.standard_reasons)."""
        from connectors.standard_reasons import described

        return described(self.reasons)

    @property
    def moved(self) -> bool:
        """False for a milestone (a sign-off, a message): the state stayed where it was."""
        return self.source != self.target
