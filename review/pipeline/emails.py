"""Emails to a connector's developers, one per change they care about.

Driven by SubmissionEvent rows: each event sends the email (subject and templates) that
the connectors.transitions table names for its step, or none. Context is built here from a short allow-list of
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

from connectors import standard_reasons
from connectors.models import BetaState, ReviewState, Submission, SubmissionEvent, Visibility
from connectors.transitions import REMINDERS, STEPS, Email, step
from portal.permissions import REVIEW_ENGINEERS_GROUP, user_is_review_engineer
from review.contests import DECISION_WORDS
from review.models import SentEmail
from review.pages.summary import review_summary

logger = logging.getLogger(__name__)

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


def contest_recipients(submission: Submission) -> list[str]:
    """Who gets a contest: the engineer who made the decision and those who asked on this
    submission; when there is none (the automated checks decided), every review engineer."""
    decided = submission.events.filter(transition__in=("request_changes", "take_down"), actor__isnull=False)
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    emails = set(users.filter(Q(pk__in=decided.values("actor")) | Q(
        pk__in=submission.messages.filter(from_engineer=True).values("author"))).values_list("email", flat=True))
    return sorted(emails) or every_engineer()


def roll_back_recipients(submission: Submission, numbers: list[int]) -> list[str]:
    """Who hears of a developer's roll back: the engineers who approved the versions it
    rolled back (versions `numbers` of the connector); when none did (approved
    automatically, or those engineers are gone), every review engineer."""
    approvals = SubmissionEvent.objects.filter(
        submission__connector_id=submission.connector_id, submission__number__in=numbers,
        transition="approve", actor__isnull=False)
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    emails = set(users.filter(pk__in=approvals.values("actor")).values_list("email", flat=True))
    return sorted(emails) or every_engineer()


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
        "status_url": _url("review:status", submission.pk),
        "site_url": settings.SITE_URL,
        "data_center_url": _url("submissions:data_center"),
        "beta_closed": submission.beta_state == BetaState.CLOSED,
        "release_notes": submission.release_notes,
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


def render(email: Email, context: dict) -> tuple[str, str, str]:
    subject = email.subject_for(name=context["connector_name"], number=context["number"], days=context.get("days"))
    context = {**context, "subject": subject}
    text_template, html_template = email.templates
    return subject, render_to_string(text_template, context), render_to_string(html_template, context)


def every_engineer() -> list[str]:
    """Every review engineer's address (portal.permissions: superusers and the group's staff)."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="").filter(
        Q(is_superuser=True) | Q(is_staff=True, groups__name=REVIEW_ENGINEERS_GROUP))
    return sorted(set(users.values_list("email", flat=True)))


def send_once(key: str, submission: Submission, email: Email, context: dict, to: list[str] | None = None) -> bool:
    """Send `email` to the developers (or `to`) unless an email under `key` went out already."""
    to = recipients(submission) if to is None else to
    try:
        with transaction.atomic():
            log = SentEmail.objects.create(key=key, submission=submission, kind=email.template, recipients=len(to))
    except IntegrityError:
        return False
    subject, text, html = render(email, context)
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


def event_email(event: SubmissionEvent) -> tuple[Email, dict] | None:
    """Which email an event gets (the table's Email, context), or None when its step sends none."""
    email = step(event.transition).email
    if email is None:
        return None
    kind = email.template
    submission = event.submission
    context = {**base_context(submission), "reason": event.reason, "by_engineer": event.actor_id is not None}
    if kind in ("checks_failed", "checks_passed", "auto_approved"):
        summary = review_summary(submission)  # once: it costs two queries
        context["waived"] = waived_findings(summary)
        if kind == "checks_failed":
            context["findings"] = error_findings(summary)
        else:
            context["warnings"] = len(summary.warnings)
        if kind == "auto_approved":  # whose sign-offs carried over, from which version
            carried = [(p.label, p.carried_over) for p in summary.phases if p.carried_over]
            context["carried"] = [{"phase": label, "sentence": c.sentence} for label, c in carried]
            context["from_number"] = carried[0][1].from_number if carried else None
    elif kind == "changes_requested":
        context["note"] = event.reason
    elif kind in ("contested", "contest_upheld", "contest_reversed"):
        context["message"] = event.reason
        context["author"] = event.actor.get_username() if event.actor else "someone"
        context["admin_url"] = _url("admin:connectors_submission_change", submission.pk)
        contest = submission.contests.order_by("-pk").first()
        context["decision"] = DECISION_WORDS.get(contest.decision, contest.decision) if contest else "the decision"
    if kind in ("changes_requested", "taken_down"):
        # The standard reasons (connectors.standard_reasons), each with its link to the rules page.
        context["reasons"] = [{"title": r.title, "text": r.text, "url": settings.SITE_URL.rstrip("/") + r.url}
                              for r in standard_reasons.described(event.reasons)]
    elif kind == "unpublished":
        context["actor_name"] = event.actor.get_username() if event.actor else ""
    elif kind == "rolled_back":
        context["actor_name"] = event.actor.get_username() if event.actor else ""
        context["by_engineer"] = event.actor is not None and user_is_review_engineer(event.actor)
        context["rolled_back"] = list(submission.connector.submissions.filter(
            state=ReviewState.ROLLED_BACK, number__gt=submission.number).order_by("-number").values_list("number", flat=True))
    elif kind in ("question", "answer"):
        context["message"] = event.reason
        context["author"] = event.actor.get_username() if event.actor else "someone"
        context["admin_url"] = _url("admin:connectors_submission_change", submission.pk)
    return email, context


def send_event_email(event_id: int) -> bool:
    event = SubmissionEvent.objects.select_related("submission__connector__company", "actor").filter(pk=event_id).first()
    if event is None:
        return False
    chosen = event_email(event)
    if chosen is None:
        return False
    email, context = chosen
    if email.template in CONVERSATION_KINDS and _held_for_digest(event, email.template):
        return False
    # An answer or a contest goes to the reviewers; everything else to the connector's developers.
    to = (engineer_recipients(event.submission) if email.template == "answer"
          else contest_recipients(event.submission) if email.template == "contested" else None)
    sent = send_once(f"event:{event.pk}", event.submission, email, context, to=to)
    if email.template == "checks_not_finished":  # the engineers are told too: the phases wait for them
        admin = {**context, "for_engineers": True, "admin_url": _url("admin:connectors_submission_change", event.submission_id)}
        sent = send_once(f"event:{event.pk}:engineers", event.submission, email, admin, to=every_engineer()) or sent
    elif email.template == "rolled_back" and event.actor_id is not None and not context["by_engineer"]:
        # A developer put aside versions the engineers approved: they hear of it (an engineer's
        # roll back is their own doing, so only the developers are told).
        admin = {**context, "for_engineers": True, "admin_url": _url("admin:connectors_submission_change", event.submission_id)}
        to = roll_back_recipients(event.submission, context["rolled_back"])
        sent = send_once(f"event:{event.pk}:engineers", event.submission, email, admin, to=to) or sent
    return sent


# --- conversation bursts: one email at once, then one digest per window -------------

# 25 answers in a row were 25 emails to every engineer. Per submission and kind, the
# first message of a window is mailed at once; the ones after it wait for a digest
# scheduled at the window's end, which mails everything still unsent as one email.
CONVERSATION_KINDS = ("question", "answer")
DIGEST_TASK = "review.tasks.send_conversation_digest"


def _window() -> timedelta:
    return timedelta(minutes=settings.CONVERSATION_EMAIL_MINUTES)


def _event_id_of(key: str) -> int:
    """The newest event an email under `key` covered: "event:<id>" or "digest:<kind>:<sub>:<id>"."""
    return int(key.split(":")[1] if key.startswith("event:") else key.rsplit(":", 1)[1])


def _held_for_digest(event: SubmissionEvent, kind: str) -> bool:
    """True when an email of `kind` on this submission went out within the window: the
    event waits for the window's digest (scheduled once per window) instead."""
    if not settings.CONVERSATION_EMAIL_MINUTES:
        return False
    last = SentEmail.objects.filter(submission_id=event.submission_id, kind=kind,
                                    sent_at__gt=timezone.now() - _window()).order_by("-sent_at", "-pk").first()
    if last is None:
        return False
    after = _event_id_of(last.key)
    name = f"email-digest:{kind}:{event.submission_id}:{after}"
    if not Schedule.objects.filter(name=name).exists():
        schedule(DIGEST_TASK, event.submission_id, kind, after, name=name,
                 schedule_type=Schedule.ONCE, next_run=last.sent_at + _window())
    return True


def send_conversation_digest(submission_id: int, kind: str, after_event_id: int, attempt: int = 0) -> int:
    """One email with every `kind` message on the submission after `after_event_id` not mailed yet."""
    names = [name for name, known in STEPS.items() if known.email is not None and known.email.template == kind]
    events = list(SubmissionEvent.objects.select_related("actor").filter(
        submission_id=submission_id, transition__in=names, pk__gt=after_event_id).order_by("pk"))
    sent_keys = set(SentEmail.objects.filter(key__in=[f"event:{e.pk}" for e in events]).values_list("key", flat=True))
    held = [e for e in events if f"event:{e.pk}" not in sent_keys]
    if not held:
        return 0
    submission = held[-1].submission
    email, context = event_email(held[-1])
    authors = sorted({e.actor.get_username() if e.actor else "someone" for e in held})
    context = {**context, "author": ", ".join(authors), "message": "\n\n".join(
        f"[{n} of {len(held)}, {timezone.localtime(e.created_at):%H:%M}] {e.reason}" for n, e in enumerate(held, 1))}
    to = engineer_recipients(submission) if kind == "answer" else recipients(submission)
    try:
        with transaction.atomic():
            # Every message it carries counts as mailed: a late task for one of them sends nothing.
            logs = SentEmail.objects.bulk_create(
                [SentEmail(key=f"event:{e.pk}", submission=submission, kind=f"{kind}-held", recipients=len(to))
                 for e in held])
    except IntegrityError:
        return 0  # another digest or task got there first
    try:
        send_once(f"digest:{kind}:{submission_id}:{held[-1].pk}", submission, email, context, to=to)
    except Exception:
        SentEmail.objects.filter(pk__in=[log.pk for log in logs]).delete()
        if attempt < len(RETRY_DELAYS):
            schedule(DIGEST_TASK, submission_id, kind, after_event_id, attempt=attempt + 1,
                     schedule_type=Schedule.ONCE, next_run=timezone.now() + RETRY_DELAYS[attempt])
        logger.exception("Could not send the %s digest of submission %s", kind, submission_id)
        return 0
    return 1


def send_beta_reminder(submission_id: int, days: int) -> bool:
    submission = Submission.objects.select_related("connector__company").get(pk=submission_id)
    if submission.beta_state != BetaState.ACTIVE:
        return False  # expired or closed since the reminder was claimed
    context = {**base_context(submission), "days": days}
    return send_once(f"beta-reminder-{days}d:{submission_id}", submission, REMINDERS["beta_expiring"], context)


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
