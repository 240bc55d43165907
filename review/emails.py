"""Emails to a connector's developers, one per change they care about.

Driven by SubmissionEvent rows: each event sends the email that the
connectors.transitions table names for its step, or none. Context is built here from a short allow-list of
fields, never from the submission object itself, so a template cannot reach the
Additional Instructions, test credentials or the OAuth client secret.

Every send is recorded in SentEmail under a key (the event, or the reminder), so a
task that runs twice mails once. django-q2 does not retry a task that raised
(ack_failures), so the tasks' entry points below send each email on its own and
schedule a later try of the ones that failed: one bad address or a mail server
hiccup neither loses the rest of a chunk nor the email itself.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import schedule

from connectors.models import BetaState, Submission, SubmissionEvent, Visibility
from connectors.transitions import step
from portal.permissions import REVIEW_ENGINEERS_GROUP
from review.models import SentEmail
from review.summary import review_summary

logger = logging.getLogger(__name__)

SUBJECTS = {
    "submitted": "{name} v{number} was submitted for review",
    "checks_failed": "{name} v{number}: the automated checks found errors",
    "checks_passed": "{name} v{number}: the automated checks passed",
    "checks_not_finished": "{name} v{number}: the automated checks could not finish",
    "changes_requested": "{name} v{number}: changes requested",
    "approved": "{name} v{number} was approved",
    "withdrawn": "{name} v{number} was withdrawn",
    "beta_published": "{name} v{number}: your beta is live",
    "beta_expiring": "{name} v{number}: your beta expires in {days} day{plural}",
    "beta_expired": "{name} v{number}: your beta has expired",
    "question": "{name} v{number}: a question from the reviewers",
    "answer": "{name} v{number}: the developer answered",
}


def recipients(submission: Submission) -> list[str]:
    """The email addresses of the connector's company members, active users only."""
    users = get_user_model().objects.filter(
        memberships__company_id=submission.connector.company_id, is_active=True
    ).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def engineer_recipients(submission: Submission) -> list[str]:
    """Who gets a developer's answer: the engineers who asked on this submission, or, if
    they are gone, every active review engineer."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    asked = users.filter(pk__in=submission.messages.filter(from_engineer=True).values("author"))
    emails = set(asked.values_list("email", flat=True))
    if not emails:
        emails = set(users.filter(is_staff=True, groups__name=REVIEW_ENGINEERS_GROUP).values_list("email", flat=True))
    return sorted(emails)


def _url(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def base_context(submission: Submission) -> dict:
    connector = submission.connector
    context = {
        "connector_name": connector.name,
        "company_name": connector.company.name,
        "number": submission.number,
        "visibility": submission.get_visibility_display(),
        "state": submission.get_state_display(),
        "due_at": submission.due_at,
        "status_url": _url("submissions:status", submission.pk),
        "site_url": settings.SITE_URL,
        "data_center_url": _url("submissions:data_center"),
        "beta_closed": submission.beta_state == BetaState.CLOSED,
    }
    if submission.beta_token:
        context["beta_url"] = _url("submissions:beta", submission.beta_token)
        context["beta_expires_at"] = submission.beta_expires_at
    if submission.private_token and submission.visibility == Visibility.COMPANY:
        context["private_url"] = _url("submissions:private", submission.private_token)
    return context


def waived_findings(summary) -> list[dict]:
    """Findings an engineer waived: listed so the developer knows they stand, but do not fail."""
    return [
        {"rule": f.rule, "phase": f.get_phase_display(), "file": f.file, "line": f.line, "message": f.message,
         "by": f.waiver.granted_by_name, "reason": f.waiver.reason, "until": f.waiver.until_label}
        for f in summary.waived
    ]


def error_findings(summary) -> list[dict]:
    return [
        {"rule": f.rule, "phase": f.get_phase_display(), "file": f.file, "line": f.line, "message": f.message, "hint": f.hint}
        for f in summary.errors
    ]


def render(kind: str, context: dict) -> tuple[str, str, str]:
    subject = SUBJECTS[kind].format(
        name=context["connector_name"], number=context["number"], days=context.get("days"),
        plural="" if context.get("days") == 1 else "s",
    )
    context = {**context, "subject": subject}
    text = render_to_string(f"emails/{kind}.txt", context)
    html = render_to_string(f"emails/{kind}.html", context)
    return subject, text, html


def every_engineer() -> list[str]:
    """Every review engineer's address (portal.permissions: superusers and the group's staff)."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="").filter(
        Q(is_superuser=True) | Q(is_staff=True, groups__name=REVIEW_ENGINEERS_GROUP))
    return sorted(set(users.values_list("email", flat=True)))


def send_once(key: str, submission: Submission, kind: str, context: dict, to: list[str] | None = None) -> bool:
    """Send `kind` to the developers (or `to`) unless an email under `key` went out already."""
    to = recipients(submission) if to is None else to
    try:
        with transaction.atomic():
            log = SentEmail.objects.create(key=key, submission=submission, kind=kind, recipients=len(to))
    except IntegrityError:
        return False
    subject, text, html = render(kind, context)
    messages = []
    for address in to:  # one message each: colleagues' addresses are not shared
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [address])
        message.attach_alternative(html, "text/html")
        messages.append(message)
    try:
        get_connection().send_messages(messages)
    except Exception:
        # Not sent: forget the key so the scheduled retry sends it.
        log.delete()
        raise
    return True


def event_email(event: SubmissionEvent) -> tuple[str, dict] | None:
    """Which email an event gets (kind, context), or None when its step sends none."""
    kind = step(event.transition).email
    if kind is None:
        return None
    submission = event.submission
    context = {**base_context(submission), "reason": event.reason, "by_engineer": event.actor_id is not None}
    if kind in ("checks_failed", "checks_passed"):
        summary = review_summary(submission)  # once: it costs two queries
        context["waived"] = waived_findings(summary)
        if kind == "checks_failed":
            context["findings"] = error_findings(summary)
        else:
            context["warnings"] = len(summary.warnings)
    elif kind == "changes_requested":
        context["note"] = event.reason
    elif kind in ("question", "answer"):
        context["message"] = event.reason
        context["author"] = event.actor.get_username() if event.actor else "someone"
        context["admin_url"] = _url("admin:connectors_submission_change", submission.pk)
    return kind, context


def send_event_email(event_id: int) -> bool:
    event = SubmissionEvent.objects.select_related("submission__connector__company", "actor").filter(pk=event_id).first()
    if event is None:
        return False
    chosen = event_email(event)
    if chosen is None:
        return False
    kind, context = chosen
    # An answer goes to the reviewers; everything else to the connector's developers.
    to = engineer_recipients(event.submission) if kind == "answer" else None
    sent = send_once(f"event:{event.pk}", event.submission, kind, context, to=to)
    if kind == "checks_not_finished":  # the engineers are told too: the phases wait for them
        admin = {**context, "for_engineers": True, "admin_url": _url("admin:connectors_submission_change", event.submission_id)}
        sent = send_once(f"event:{event.pk}:engineers", event.submission, kind, admin, to=every_engineer()) or sent
    return sent


def send_beta_reminder(submission_id: int, days: int) -> bool:
    submission = Submission.objects.select_related("connector__company").get(pk=submission_id)
    if submission.beta_state != BetaState.ACTIVE:
        return False  # expired or closed since the reminder was claimed
    context = {**base_context(submission), "days": days}
    return send_once(f"beta-reminder-{days}d:{submission_id}", submission, "beta_expiring", context)


# --- what the tasks call: each email on its own, failures tried again later ---------

RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=1), timedelta(hours=6))


def _send_each(send, ids: list[int], retry_task: str, *args, attempt: int) -> int:
    sent, failed = 0, []
    for pk in ids:
        try:
            sent += bool(send(pk, *args))
        except Exception:  # noqa: BLE001 - the others still go; this one is retried below
            logger.exception("Could not send the email of %s(%s)", retry_task, pk)
            failed.append(pk)
    if failed and attempt < len(RETRY_DELAYS):
        schedule(
            retry_task, failed, *args, attempt=attempt + 1,
            schedule_type=Schedule.ONCE, next_run=timezone.now() + RETRY_DELAYS[attempt],
        )
    elif failed:
        logger.error("Gave up sending the emails of %s(%s) after %s attempts", retry_task, failed, attempt + 1)
    return sent


def send_event_emails(event_ids: list[int], attempt: int = 0) -> int:
    return _send_each(send_event_email, event_ids, "review.tasks.send_event_emails", attempt=attempt)


def send_beta_reminders(submission_ids: list[int], days: int, attempt: int = 0) -> int:
    return _send_each(send_beta_reminder, submission_ids, "review.tasks.send_beta_reminders", days, attempt=attempt)
