"""Reads, always scoped to what the user may see.

Another company's objects are simply not found (the view answers 404), so nothing
leaks that they exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from connectors import editor_findings, search
from connectors.models import (
    DELISTED_STATES,
    OPEN_STATES,
    BetaState,
    Company,
    Connector,
    Membership,
    ReviewState,
    Submission,
    SubmissionEvent,
    Visibility,
)
from connectors.page_scopes import connector_scope, submission_scope


def companies_for_user(user) -> QuerySet[Company]:
    if not user.is_authenticated:
        return Company.objects.none()
    return Company.objects.filter(memberships__user=user)


def company_ids_for_user(user) -> QuerySet:
    """The user's companies' ids, as a subquery: a semi-join on the memberships alone,
    which PostgreSQL plans in a third of the time of a join through the companies."""
    if not user.is_authenticated:
        return Membership.objects.none().values("company_id")
    return Membership.objects.filter(user=user).values("company_id")


def connector_list_for_user(user) -> QuerySet[Connector]:
    return (
        Connector.objects.filter(company_id__in=company_ids_for_user(user))
        .select_related("company")
        .order_by("-updated_at", "-pk")
    )


# The Develop page's state filter: the newest version's review state, "draft" for a
# connector never submitted, "beta" for one whose newest version has a live beta.
DEVELOP_STATE_FILTERS = {"draft": "Draft (never submitted)", **{
    state.value: state.label for state in ReviewState if state != ReviewState.DRAFT}, "beta": "Beta active"}


def connector_rows_for_user(user, query: str = "", state: str = "") -> QuerySet:
    """The Develop page's rows: each connector with its newest version's id, number and
    states annotated in the same query, only the columns the page shows, as dicts."""
    latest = Submission.objects.filter(connector=OuterRef("pk")).order_by("-number")
    qs = connector_list_for_user(user).annotate(
        latest_submission_id=Subquery(latest.values("pk")[:1]),
        latest_number=Subquery(latest.values("number")[:1]),
        latest_state=Subquery(latest.values("state")[:1]),
        latest_beta_state=Subquery(latest.values("beta_state")[:1]),
    ).annotate(
        # What the engineers asked of the newest version, so the row says an answer is due:
        # the last of its conversation's rows (a question open until an answer follows) and
        # whether it was sent back with a note.
        latest_talk=Subquery(
            SubmissionEvent.objects.filter(submission_id=OuterRef("latest_submission_id"),
                                           transition__in=(editor_findings.ASKED, editor_findings.ANSWERED))
            .order_by("-created_at", "-pk").values("transition")[:1]),
        latest_has_note=Exists(SubmissionEvent.objects.filter(
            submission_id=OuterRef("latest_submission_id"), transition=editor_findings.REQUESTED)),
    )
    if query:
        qs = qs.filter(name__icontains=query)
    if state == "draft":
        qs = qs.filter(Q(latest_state__isnull=True) | Q(latest_state=ReviewState.DRAFT))
    elif state == "beta":
        qs = qs.filter(latest_beta_state=BetaState.ACTIVE)
    elif state in DEVELOP_STATE_FILTERS:
        qs = qs.filter(latest_state=state)
    return qs.values(
        "pk", "name", "updated_at", "latest_submission_id", "latest_number", "latest_state", "latest_beta_state",
        "latest_talk", "latest_has_note",
    )


def connector_get_for_user(user, pk) -> Connector:
    try:
        return connector_list_for_user(user).get(pk=pk)
    except (Connector.DoesNotExist, ValueError):
        raise Http404("No such connector.") from None


def submission_list_for_user(user) -> QuerySet[Submission]:
    return Submission.objects.filter(connector__company_id__in=company_ids_for_user(user)).select_related(
        "connector", "connector__company"
    )


# What no page of one submission reads: the snapshot zip (up to 20 MiB; icons and exports
# fetch it on their own) and the Additional Instructions (engineers only, and decrypted
# on every load). The status window loads its submission every few seconds while it polls.
UNREAD_ON_PAGES = ("bundle", "instructions")
# Nor the connector's draft (the editor's, read through connector_get_for_user): its
# scripts and samples are JSON to parse and its OAuth secret is decrypted on every load.
_DRAFT_UNREAD_ON_PAGES = tuple(f"connector__{name}" for name in (
    "authentication_script", "processdata_script", "samples", "parameters", "oauth2_client_secret",
    "auth_fields", "oauth2", "hosts", "reports"))


def submission_get_for_user(user, pk) -> Submission:
    # submitted_by too: every page of one submission names who submitted it.
    try:
        return (
            submission_list_for_user(user)
            .select_related("submitted_by")
            .defer(*UNREAD_ON_PAGES, *_DRAFT_UNREAD_ON_PAGES)
            .get(pk=pk)
        )
    except (Submission.DoesNotExist, ValueError):
        raise Http404("No such submission.") from None


@dataclass(frozen=True)
class SubmissionPageKey:
    """What a submission's cached pages are keyed by (review.views), read without the row."""

    pk: int
    connector_id: int
    name: str
    number: int
    beta_state: str
    beta_expires_at: datetime | None

    def scopes(self) -> list[str]:
        return [submission_scope(self.pk), connector_scope(self.connector_id)]


def submission_page_key(user, pk) -> SubmissionPageKey:
    """The few columns a cached page of one submission needs, else 404 (the same access
    as submission_get_for_user, which loads the row when the cache misses)."""
    try:
        rows = list(
            submission_list_for_user(user).filter(pk=pk)
            .values_list("pk", "connector_id", "name", "number", "beta_state", "beta_expires_at")
            .order_by()[:1]  # one row by its key: no sort to plan
        )
    except (ValueError, TypeError):
        rows = []
    if not rows:
        raise Http404("No such submission.")
    return SubmissionPageKey(*rows[0])


def submissions_for_connector(connector: Connector) -> QuerySet[Submission]:
    """One connector's versions, newest first, for lists, badges and the edit lock.

    None of those reads the snapshot, so neither its zip (up to 20 MiB) nor its scripts
    are loaded, nor its instructions decrypted.
    """
    return connector.submissions.defer("bundle", "scripts", "manifest", "instructions").order_by("-number")


def latest_submission(connector: Connector) -> Submission | None:
    return submissions_for_connector(connector).first()


def previous_submission_choices(connector: Connector) -> dict:
    """The newest version's visibility and Additional Instructions: a resubmission starts
    from them (they rarely change; an empty box told the engineer "The developer gave none")."""
    # values(): a Submission with its state fields deferred cannot even be built (django-fsm
    # reads them in __init__); the instructions field decrypts through from_db_value anyway.
    previous = connector.submissions.order_by("-number").values("visibility", "instructions").first()
    return previous or {}


def open_submission(connector: Connector) -> Submission | None:
    return submissions_for_connector(connector).filter(state__in=OPEN_STATES).first()


def data_center_list(query: str = "") -> QuerySet[Submission]:
    """Approved public connectors, the newest approved version of each (the listed flag)."""
    qs = (
        Submission.objects.filter(listed=True)
        .select_related("connector", "connector__company")
        # A page of rows must not drag each snapshot's zip (up to 20 MiB) or decrypt its
        # instructions; icons are fetched by URL. Never defer the FSM fields: django-fsm
        # reads them on init and a deferred one recurses.
        .defer("bundle", "scripts", "instructions")
        .order_by("name", "pk")
    )
    return search.search(qs, query) if query else qs


def data_center_rows(query: str = "") -> QuerySet:
    """The Data Center's rows as the listing shows them: only its columns, as dicts."""
    return data_center_list(query).values(
        "pk", "name", "description", "number", company_name=F("connector__company__name")
    )


def data_center_key(pk) -> tuple:
    """(pk, name) of a listed connector, else 404: its cached page's key and title (a
    version's own name never changes)."""
    try:
        row = Submission.objects.filter(pk=pk, listed=True).values_list("pk", "name").first()
    except (ValueError, TypeError):
        row = None
    if row is None:
        raise Http404("No such connector.")
    return row


def data_center_gone(pk) -> Submission | None:
    """A public version that left the Data Center by a take-down or an unpublish: its page
    answers 410 (it was public, so saying it is gone tells nobody anything new)."""
    try:
        return _for_private_page().filter(
            pk=pk, visibility=Visibility.PUBLIC, state__in=DELISTED_STATES).first()
    except (ValueError, TypeError):
        return None


def in_use_instead(submission: Submission) -> Submission | None:
    """For a rolled-back version, the version in use now (the connector's newest approved):
    its private URL and public page lead there (connectors.services.rollback)."""
    if submission.state != ReviewState.ROLLED_BACK:
        return None
    return (_for_private_page().filter(connector_id=submission.connector_id, state=ReviewState.APPROVED)
            .order_by("-number").first())


def version_history(submission: Submission) -> list[dict]:
    """The connector's published versions of the same visibility as `submission`, newest
    first, with their release notes: the public (or private) page's version history.

    Approved and rolled-back ones only: a taken-down version is gone, not history. The
    one in use is the newest approved."""
    rows = list(Submission.objects.filter(
        connector_id=submission.connector_id, visibility=submission.visibility,
        state__in=[ReviewState.APPROVED, ReviewState.ROLLED_BACK],
    ).order_by("-number").values("pk", "number", "state", "ended_at", "release_notes"))
    in_use = next((row["number"] for row in rows if row["state"] == ReviewState.APPROVED), None)
    for row in rows:
        row["in_use"] = row["number"] == in_use
        row["rolled_back"] = row["state"] == ReviewState.ROLLED_BACK
    return rows


def newer_approved_numbers(submission: Submission) -> list[int]:
    """The approved versions a roll back to `submission` would replace, newest first; empty
    when it is not approved or already the version in use."""
    if submission.state != ReviewState.APPROVED:
        return []
    return list(Submission.objects.filter(connector_id=submission.connector_id, state=ReviewState.APPROVED,
                                          number__gt=submission.number)
                .order_by("-number").values_list("number", flat=True))


def data_center_rolled_back(pk) -> Submission | None:
    """A public version a roll back replaced, for its old Data Center page to lead on."""
    try:
        return _for_private_page().filter(pk=pk, visibility=Visibility.PUBLIC, state=ReviewState.ROLLED_BACK).first()
    except (ValueError, TypeError):
        return None


def data_center_get(pk) -> Submission:
    """One connector of the Data Center: only what data_center_list lists, for anyone signed in."""
    try:
        return data_center_list().get(pk=pk)
    except (Submission.DoesNotExist, ValueError):
        raise Http404("No such connector.") from None


def submission_icon_source(user, pk) -> tuple[int, str]:
    """(pk, content_hash) of a submission whose icons the user may fetch, else 404.

    Members of the owning company may always; anyone signed in may for an approved
    public one. A values_list, so neither the zip is read nor a model is built (the
    bundle is read only when the icon cache misses).
    """
    visible = Q(connector__company_id__in=company_ids_for_user(user))
    if user.is_authenticated:
        visible |= Q(state=ReviewState.APPROVED, visibility=Visibility.PUBLIC)
    try:
        row = Submission.objects.filter(visible, pk=pk).values_list("pk", "content_hash").first()
    except ValueError:
        row = None
    if row is None:
        raise Http404("No such submission.")
    return row


def submission_bundle_bytes(pk) -> bytes | None:
    """The snapshot zip alone; call it only after an access check."""
    data = Submission.objects.filter(pk=pk).values_list("bundle", flat=True).first()
    return None if data is None else bytes(data)


def _for_private_page() -> QuerySet[Submission]:
    return Submission.objects.select_related("connector", "connector__company").defer(*UNREAD_ON_PAGES)


def submission_for_beta_token(token: str) -> Submission | None:
    return _for_private_page().filter(beta_token=token).first()


def submission_for_private_token(token: str) -> Submission | None:
    return _for_private_page().filter(private_token=token).first()


def beta_is_live(submission: Submission) -> bool:
    return (
        submission.beta_state == BetaState.ACTIVE
        and submission.beta_expires_at is not None
        and submission.beta_expires_at > timezone.now()
    )


def user_is_member(user, company: Company) -> bool:
    return user.is_authenticated and company.memberships.filter(user=user).exists()


def unclaimed_ids(qs: QuerySet, limit: int) -> list[int]:
    """Up to `limit` ids of `qs` for a bulk job to claim, skipping rows another run holds.

    skip_locked only keeps two overlapping runs from queueing behind each other's rows;
    the job's conditional UPDATE is what decides which run moves a row.
    """
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True)
    return list(qs.order_by("pk").values_list("pk", flat=True)[:limit])


def company_for_new_connector(user, slug: str | None) -> Company:
    """The company a new connector goes into: the user's only one, or the one named by slug.

    One policy for the pages and the API: a member of several companies chooses, never
    gets the first one silently. Raises LookupError with a message for that person.
    """
    companies = list(companies_for_user(user).order_by("slug"))
    if slug:
        for company in companies:
            if company.slug == slug:
                return company
        raise LookupError(
            f"You are not a member of a company with the slug {slug!r}; yours: "
            + (", ".join(c.slug for c in companies) or "none")
            + "."
        )
    if not companies:
        raise LookupError("Your account is not a member of any company; ask a company admin to add you.")
    if len(companies) > 1:
        raise LookupError(
            "You are a member of several companies: choose the company for the connector: one of "
            + ", ".join(c.slug for c in companies)
            + "."
        )
    return companies[0]


def connector_name_taken(company, name: str, exclude_pk=None):
    """The company's other connector already called `name` (case and outer spaces ignored), or None."""
    others = Connector.objects.filter(company=company, name__iexact=name.strip())
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.only("pk", "name").first()


def connector_free_name(company, name: str, exclude_pk=None, max_length: int = 100) -> str:
    """`name`, or "name (2)", "name (3)"... the first the company does not use yet.

    The company's names that could clash are read in one query (a company that uploaded
    one bundle a thousand times must not cost a thousand queries per upload); the number
    chosen is checked once more with the database's own comparison."""
    if connector_name_taken(company, name, exclude_pk) is None:
        return name
    # Every candidate starts with this much of the name, whatever the suffix's length.
    stem = name[: max_length - 24].rstrip()
    others = Connector.objects.filter(company=company, name__istartswith=stem)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    used = {other.strip().upper() for other in others.values_list("name", flat=True)}
    number = 2
    while True:
        suffix = f" ({number})"
        candidate = name[: max_length - len(suffix)].rstrip() + suffix
        if candidate.upper() not in used and connector_name_taken(company, candidate, exclude_pk) is None:
            return candidate
        number += 1


def submission_terms() -> dict:
    """What the submission steps promise, from today: the beta's length and end, the review's length and due date."""
    today = timezone.localdate()
    return {
        "beta_days": settings.BETA_DAYS,
        "beta_ends": today + timedelta(days=settings.BETA_DAYS),
        "review_days": settings.REVIEW_DUE_DAYS,
        "review_due": today + timedelta(days=settings.REVIEW_DUE_DAYS),
    }
