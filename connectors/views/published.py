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

from connectors import icons, selectors, services
from connectors.bundle.types import ICONS
from connectors.connector_card import cached_connector_card, connector_card
from connectors.models import ReviewState
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
def connector_submissions(request, connector_pk):
    """Every version of one connector with its state, newest first."""
    connector = selectors.connector_get_for_user(request.user, connector_pk)
    return render(
        request,
        "submissions/list.html",
        {"connector": connector, "submissions": selectors.submissions_for_connector(connector)},
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
    """A Data Center connector's page, for anyone signed in."""
    pk, content_hash, ended_at = selectors.data_center_key(pk)
    card = cached_connector_card(pk, content_hash, ended_at, lambda: selectors.data_center_get(pk))
    return render(request, "submissions/public_connector.html", {"card": card, "kind": "public"})


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
