"""The status window: where a submission stands, its findings at their lines, its history.

htmx polls the live part while the machine still works. Withdraw and Self Publish are
the connector's own steps (connectors.views.published); this page only offers them.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from connectors import selectors
from connectors.editor_findings import engineers_asks, requested_reasons
from connectors.models import ENDED_STATES, BetaState, ReviewState, Visibility
from portal.fragments import cached_part
from review import kept_text
from review.contests import contested_decision, open_contest
from review.conversation import may_answer, messages_for
from review.pages.changes import mark_finding_origins, submission_changes
from review.pages.summary import review_summary
from review.selectors import last_approved_before

POLL_SECONDS = 3


def _status_context(request, submission) -> dict:
    summary = review_summary(submission)
    # What changed since the last approved version, and which findings were already there.
    base = last_approved_before(submission)
    mark_finding_origins(submission, summary.findings, base)
    conversation = messages_for(submission)
    beta_url = (
        request.build_absolute_uri(reverse("submissions:beta", args=[submission.beta_token]))
        if submission.beta_token
        else ""
    )
    private_url = (
        request.build_absolute_uri(reverse("submissions:private", args=[submission.private_token]))
        if submission.private_token and submission.state == ReviewState.APPROVED
        else ""
    )
    # Once a beta exists, why it could not be published no longer matters.
    never_published = submission.beta_state == BetaState.NONE
    self_publish_blockers = submission.self_publish_blockers() if never_published else []
    machine_running = summary.machine_still_running()
    terms = selectors.submission_terms()
    events = list(submission.events.select_related("actor"))  # the history, in order
    request_note, questions = engineers_asks(submission, events)
    changes_requested = submission.state == ReviewState.CHANGES_REQUESTED
    contestable = contested_decision(submission)
    return {
        # At the top, not only in the history: what the engineers asked of the developer.
        "request_note": request_note if changes_requested else "",
        "request_reasons": requested_reasons(submission, events) if changes_requested else [],
        "questions": questions,
        # A decision the developers may contest, and their contest while it waits for an answer.
        "contestable": contestable,
        "open_contest": open_contest(submission) if contestable else None,
        "editor_url": reverse("connectors:edit", args=[submission.connector_id]),
        "submission": submission,
        "connector": submission.connector,
        "summary": summary,
        "code_url": reverse("review:code", args=[submission.pk]),
        "events": events,
        # Live while the review is open: the machine's phases take seconds, an engineer's
        # sign-off may come any time (and the page must show it without a reload), so it
        # polls fast while the machine works and slower while people do. Ended: it stops.
        "polling": submission.is_open,
        "machine_running": machine_running,
        "data_center_url": (
            reverse("submissions:public_connector", args=[submission.pk])
            if submission.state == ReviewState.APPROVED and submission.visibility == Visibility.PUBLIC
            else ""
        ),
        "poll_seconds": POLL_SECONDS if machine_running else settings.STATUS_PEOPLE_POLL_SECONDS,
        "review_ended": submission.state in ENDED_STATES,
        "beta_days": terms["beta_days"],
        "beta_ends": terms["beta_ends"],
        "beta_url": beta_url,
        "beta_live": selectors.beta_is_live(submission),
        "private_url": private_url,
        # Rolled back: which version its URLs lead to now (connectors.services.rollback).
        "in_use_instead": selectors.in_use_instead(submission),
        "can_withdraw": submission.is_open,
        "can_self_publish": never_published and not self_publish_blockers,
        "self_publish_blockers": self_publish_blockers,
        "show_beta_dialog": request.GET.get("beta") == "published" and bool(beta_url),
        # Not in the live part htmx polls: the diff of two fixed versions never changes.
        "changes": submission_changes(submission, base) if base and not request.htmx else None,
        "diff_split": request.GET.get("diff") == "split",
        "conversation": conversation,
        "may_answer": may_answer(submission, conversation),
    }


def _body_with_kept_text(request, pk, kept: dict[str, str]) -> str:
    """The page once more with a refused answer or contest back in its form (review.kept_text).

    Rendered for this user only and never cached, so the text reaches no one else. A form
    the review no longer offers (a contest already open) shows the text to copy instead."""
    context = _status_context(request, selectors.submission_get_for_user(request.user, pk))
    shown = {"answer": context["may_answer"], "contest": bool(context["contestable"]) and not context["open_contest"]}
    unsent = {form: text for form, text in kept.items() if not shown.get(form)}
    return render_to_string("submissions/_status_body.html", {**context, "kept": kept, "kept_unsent": unsent}, request)


@login_required
@require_GET
def status(request, pk):
    """The status window (Overview). htmx polls it for the live part only.

    Its content is cached until the submission's pages change (connectors.page_scopes):
    a window left open polls every few seconds, and most polls find nothing new."""
    page = selectors.submission_page_key(request.user, pk)
    template = "submissions/_status_live.html" if request.htmx else "submissions/_status_body.html"
    kept = {} if request.htmx else kept_text.take(request, page.pk)
    if kept:
        body = _body_with_kept_text(request, pk, kept)
        return render(request, "submissions/status.html", {"submission": page, "body": body})
    body = cached_part(
        request, template, scopes=page.scopes(),
        # What else the content depends on: the absolute URLs' host, the asked views, a beta
        # that ends with the clock.
        key=(request.get_host(), request.GET.get("diff") == "split", request.GET.get("beta") == "published",
             selectors.beta_is_live(page)),
        context=lambda: _status_context(request, selectors.submission_get_for_user(request.user, pk)),
    )
    if request.htmx:
        return HttpResponse(body)
    return render(request, "submissions/status.html", {"submission": page, "body": body})
