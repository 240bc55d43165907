"""Submission pages: status window, Withdraw, Self Publish, View Code, Data Center and
its public connector pages, the private/beta URLs and the snapshot's icons. Thin: selectors read, services write, refusals become messages.
"""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_GET, require_POST

from connectors import icons, selectors, services
from connectors.bundle.types import ICONS
from connectors.code_viewer import line_anchor, render_script
from connectors.connector_card import connector_card
from portal.errors import PortalError
from connectors.models import ENDED_STATES, BetaState, ReviewState
from review.limits import RECORDS_PER_5_MIN_REQUIRED
from review.models import Phase, PhaseStatus

DATA_CENTER_PAGE_SIZE = 20
EVENT_LABELS = {
    "submit": "Submitted",
    "start_review": "Review started",
    "approve": "Approved",
    "request_changes": "Changes requested",
    "withdraw": "Withdrawn",
    "self_publish": "Beta published",
    "expire": "Beta expired",
    "close": "Beta closed",
}
POLL_SECONDS = 3
ICON_MAX_AGE = 24 * 60 * 60


def _phases_still_running(submission, phases) -> bool:
    """Whether the machine still has work to do, so the page should keep refreshing.

    A pending human-only phase (code review) waits for an engineer, possibly for days;
    polling for it would never stop, so only phases the machine runs count. Once the
    review has ended nothing will run any more, whatever a phase row still says (a
    withdrawal leaves the phases it did not reach pending for good).
    """
    if not submission.is_open:
        return False
    if not phases:
        # The review run is queued on submit and creates the rows when it starts.
        return True
    for phase in phases:
        if phase.status == PhaseStatus.RUNNING:
            return True
        if phase.status == PhaseStatus.PENDING and phase.phase != Phase.CODE_REVIEW:
            return True
    return False


def _status_context(request, submission) -> dict:
    phases = list(submission.phases.prefetch_related("findings").order_by("position"))
    requests_seen = []
    for phase in phases:
        phase.finding_list = list(phase.findings.all())
        for finding in phase.finding_list:
            finding.code_anchor = (
                line_anchor(finding.line) if finding.file in submission.scripts else ""
            )
        if phase.phase == Phase.AUTOMATED:
            requests_seen = (phase.details or {}).get("requests") or []
        phase.performance_rows = (
            (phase.details or {}).get("performance") or [] if phase.phase == Phase.PERFORMANCE else []
        )
    events = list(submission.events.select_related("actor"))
    for event in events:
        event.label = EVENT_LABELS.get(event.transition, event.transition.replace("_", " ").capitalize())
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
    return {
        "submission": submission,
        "connector": submission.connector,
        "phases": phases,
        "requests_seen": requests_seen,
        "events": events,
        "polling": _phases_still_running(submission, phases),
        "poll_seconds": POLL_SECONDS,
        "review_ended": submission.state in ENDED_STATES,
        "performance_floor": RECORDS_PER_5_MIN_REQUIRED,
        "beta_days": settings.BETA_DAYS,
        "beta_url": beta_url,
        "beta_live": selectors.beta_is_live(submission),
        "private_url": private_url,
        "can_withdraw": submission.is_open,
        "can_self_publish": never_published and not self_publish_blockers,
        "self_publish_blockers": self_publish_blockers,
        "show_beta_dialog": request.GET.get("beta") == "published" and bool(beta_url),
    }


@login_required
@require_GET
def status(request, pk):
    """The status window (Overview). htmx polls it for the live part only."""
    submission = selectors.submission_get_for_user(request.user, pk)
    context = _status_context(request, submission)
    if request.htmx:
        return render(request, "submissions/_status_live.html", context)
    return render(request, "submissions/status.html", context)


@login_required
@require_POST
def withdraw(request, pk):
    submission = selectors.submission_get_for_user(request.user, pk)
    try:
        services.submission_withdraw(submission=submission, user=request.user, reason=request.POST.get("reason", ""))
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Version {submission.number} of {submission.connector.name} was withdrawn; the connector can be edited again.",
        )
    return redirect("submissions:status", pk=submission.pk)


@login_required
@require_POST
def self_publish(request, pk):
    submission = selectors.submission_get_for_user(request.user, pk)
    try:
        services.submission_self_publish(submission=submission, user=request.user)
    except PortalError as error:
        messages.error(request, error.message)
        return redirect("submissions:status", pk=submission.pk)
    messages.success(request, f"{submission.name} is published as a beta for your company.")
    return redirect(reverse("submissions:status", args=[submission.pk]) + "?beta=published")


@login_required
@require_GET
def code(request, pk):
    """View Code: the submitted scripts, read-only, a tab per script."""
    submission = selectors.submission_get_for_user(request.user, pk)
    context = {"submission": submission, "connector": submission.connector, "script": None}
    paths = sorted(submission.scripts)
    if paths:
        path = request.GET.get("file") or paths[0]
        if path not in submission.scripts:
            raise Http404("No such script in this submission.")
        findings = list(submission.findings.all())
        per_file = Counter(f.file for f in findings)
        context["tabs"] = [(p, per_file[p]) for p in paths]
        context["script"] = render_script(submission, path, findings)
    return render(request, "submissions/code.html", context)


@login_required
@require_GET
def connector_submissions(request, connector_pk):
    """Every version of one connector with its state, newest first."""
    connector = selectors.connector_get_for_user(request.user, connector_pk)
    return render(
        request,
        "submissions/list.html",
        {"connector": connector, "submissions": selectors.submissions_for_connector(connector)},
    )


@login_required
@require_GET
def data_center(request):
    query = request.GET.get("q", "").strip()[:200]
    page = Paginator(selectors.data_center_list(query), DATA_CENTER_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "submissions/data_center.html", {"page": page, "query": query})


@login_required
@require_GET
def public_connector(request, pk):
    """A Data Center connector's page, for anyone signed in."""
    submission = selectors.data_center_get(pk)
    return render(
        request,
        "submissions/public_connector.html",
        {"submission": submission, "connector": submission.connector, "card": connector_card(submission), "kind": "public"},
    )


@login_required
@require_GET
def icon(request, pk, key):
    """One icon of a submission's snapshot, for the pages that show the connector card."""
    if key not in ICONS:
        raise Http404("No such icon.")
    pk, content_hash = selectors.submission_icon_source(request.user, pk)
    # A snapshot never changes, so its hash names every version of the icon; checked
    # after the access check so a stranger cannot probe which hashes exist.
    etag = f'"{content_hash}-{key}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        data = icons.submission_icon(pk=pk, content_hash=content_hash, key=key)
        if data is None:
            raise Http404("This submission has no such icon.")
        response = HttpResponse(data, content_type="image/png")
    response["ETag"] = etag
    # private: the icon of a company-only connector must not sit in a shared cache.
    patch_cache_control(response, private=True, max_age=ICON_MAX_AGE)
    return response


def _private_page(request, submission, *, live: bool, kind: str):
    # Outsiders learn nothing, not even that the URL exists or has expired.
    if submission is None or not selectors.user_is_member(request.user, submission.connector.company):
        raise Http404("No such connector.")
    context = {"submission": submission, "connector": submission.connector, "kind": kind}
    if not live:
        return render(request, "submissions/gone.html", context, status=410)
    context["card"] = connector_card(submission)
    return render(request, "submissions/connector_page.html", context)


@login_required
@require_GET
def beta(request, token):
    submission = selectors.submission_for_beta_token(token)
    return _private_page(request, submission, live=bool(submission) and selectors.beta_is_live(submission), kind="beta")


@login_required
@require_GET
def private(request, token):
    submission = selectors.submission_for_private_token(token)
    live = bool(submission) and submission.state == ReviewState.APPROVED
    return _private_page(request, submission, live=live, kind="private")
