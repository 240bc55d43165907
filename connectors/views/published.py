"""Pages of submitted connectors that are not about their review: Withdraw, Self Publish,
a connector's versions, the Data Center and its public pages, the private and beta URLs,
the snapshot's icons. Thin: selectors read, services write, refusals become messages.
(The status window and View Code are the review's: review/views/.)
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_GET, require_POST

from connectors import icons, review_links, selectors, services
from connectors.bundle.types import ICONS
from connectors.connector_card import connector_card
from connectors.models import ReviewState, Visibility
from connectors.page_scopes import DATA_CENTER
from portal.errors import PortalError
from portal.fragments import cached_part
from portal.paging import get_page, page_number
from portal.row_urls import row_url

DATA_CENTER_PAGE_SIZE = 20
ICON_MAX_AGE = 24 * 60 * 60


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
    return redirect(_status_or_editor(submission))


@login_required
@require_POST
def self_publish(request, pk):
    submission = selectors.submission_get_for_user(request.user, pk)
    try:
        services.submission_self_publish(submission=submission, user=request.user)
    except PortalError as error:
        messages.error(request, error.message)
        return redirect(_status_or_editor(submission))
    messages.success(request, f"{submission.name} is published as a beta for your company.")
    return redirect(_status_or_editor(submission, "?beta=published"))


@login_required
@require_POST
def unpublish(request, connector_pk):
    """The developers take their own connector out of the Data Center and its private URLs."""
    connector = selectors.connector_get_for_user(request.user, connector_pk)
    try:
        services.connector_unpublish(connector=connector, user=request.user, reason=request.POST.get("reason", ""))
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{connector.name} was unpublished; a review engineer can re-list it.")
    return redirect("submissions:list", connector_pk=connector.pk)


@login_required
@require_POST
def roll_back(request, pk):
    """The developers of a company-only connector put this earlier approved version back in use."""
    submission = selectors.submission_get_for_user(request.user, pk)
    try:
        newer = services.submission_roll_back_to(submission=submission, user=request.user,
                                                 reason=request.POST.get("reason", ""))
    except PortalError as error:
        messages.error(request, error.message)
    else:
        numbers = ", ".join(str(v.number) for v in newer)
        messages.success(request, f"Version {submission.number} of {submission.connector.name} is in use again; "
                                  f"version{'s' if len(newer) > 1 else ''} {numbers} rolled back.")
    return redirect("submissions:list", connector_pk=submission.connector_id)


def _status_or_editor(submission, query: str = "") -> str:
    """After a change the developer sees the review's status window; without review, the editor."""
    status = review_links.link("status", submission.pk)
    return status + query if status else reverse("connectors:edit", args=[submission.connector_id])


@login_required
@require_GET
def connector_submissions(request, connector_pk):
    """Every version of one connector with its state, newest first."""
    connector = selectors.connector_get_for_user(request.user, connector_pk)
    submissions = list(selectors.submissions_for_connector(connector))
    approved = [s for s in submissions if s.state == ReviewState.APPROVED]
    for submission in approved:
        # A developer may roll back only among company-only versions (models.may_roll_back).
        newer = [s for s in approved if s.number > submission.number]
        submission.may_roll_back = bool(newer) and all(
            s.visibility == Visibility.COMPANY for s in [submission, *newer])
    return render(
        request,
        "submissions/list.html",
        {"connector": connector, "submissions": submissions,
         "may_unpublish": any(s.state == ReviewState.APPROVED for s in submissions)},
    )


def _data_center_context(request, query: str) -> dict:
    page = get_page(selectors.data_center_rows(query), request.GET.get("page"), DATA_CENTER_PAGE_SIZE, q=query)
    for row in page.object_list:
        row["icon_url"] = row_url("submissions:icon", row["pk"], "icon_with_background")
        row["page_url"] = row_url("submissions:public_connector", row["pk"])
    return {"page": page, "query": query}


@login_required
@require_GET
def data_center(request):
    """The listing, the same for everyone: cached per search and page until a connector is
    listed, delisted or renamed (connectors.page_scopes)."""
    query = request.GET.get("q", "").strip()[:200]
    body = cached_part(
        request, "submissions/_data_center_body.html", scopes=[DATA_CENTER],
        key=(query, page_number(request.GET.get("page"))), context=lambda: _data_center_context(request, query),
    )
    return render(request, "submissions/data_center.html", {"body": body})


@login_required
@require_GET
def public_connector(request, pk):
    """A Data Center connector's page, for anyone signed in. The card is cached with the
    Data Center (connectors.page_scopes): a snapshot never changes, its company's name may."""
    try:
        pk, name = selectors.data_center_key(pk)
    except Http404:
        rolled_back = selectors.data_center_rolled_back(pk)
        instead = rolled_back and selectors.in_use_instead(rolled_back)
        if instead and instead.listed:
            return redirect("submissions:public_connector", pk=instead.pk)
        gone = selectors.data_center_gone(pk) or rolled_back
        if gone is None:
            raise
        return render(request, "submissions/gone.html", {"submission": gone, "kind": "public"}, status=410)
    card = cached_part(request, "submissions/_connector_card.html", scopes=[DATA_CENTER], key=(pk,),
                       context=lambda: _card_context(selectors.data_center_get(pk), "public"))
    return render(request, "submissions/public_connector.html", {"name": name, "card": card, "pk": pk})


def _card_context(submission, kind: str) -> dict:
    return {"card": connector_card(submission), "kind": kind, "versions": selectors.version_history(submission)}


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
    instead = selectors.in_use_instead(submission) if kind == "private" else None
    if instead is not None and (instead.private_token or instead.listed):
        # Rolled back: the URL the company has leads to the version it uses now (an
        # engineer may have rolled back to a public one: its Data Center page).
        messages.info(request, f"Version {submission.number} was rolled back: this is version {instead.number}, "
                               "the one in use.")
        if instead.private_token:
            return redirect("submissions:private", token=instead.private_token)
        return redirect("submissions:public_connector", pk=instead.pk)
    if not live:
        return render(request, "submissions/gone.html", context, status=410)
    context.update(_card_context(submission, kind) if kind == "private" else {"card": connector_card(submission)})
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
