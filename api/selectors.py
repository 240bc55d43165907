"""Reads for the API and the token settings page, scoped to the user."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from api.models import ApiToken
from connectors.models import Company, Submission
from connectors.selectors import companies_for_user, submission_list_for_user
from review.models import ReviewPhase


def api_token_list_for_user(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def api_token_get_for_user(user, pk) -> ApiToken:
    try:
        return api_token_list_for_user(user).get(pk=pk)
    except (ApiToken.DoesNotExist, ValueError):
        raise Http404("No such token.") from None


def company_for_upload(user, slug: str | None) -> Company:
    """The company a new connector goes into: the user's only one, or the one named by slug.

    Raises LookupError with a message the API passes on (field "company").
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
            "You are a member of several companies: send the form field 'company' with one of "
            + ", ".join(c.slug for c in companies)
            + "."
        )
    return companies[0]


def submission_detail_for_user(user, pk) -> Submission:
    """A submission of the user's companies with its phases and findings, in three queries."""
    phases = Prefetch("phases", queryset=ReviewPhase.objects.order_by("position").prefetch_related("findings"))
    try:
        return submission_list_for_user(user).prefetch_related(phases).get(pk=pk)
    except (Submission.DoesNotExist, ValueError):
        raise Http404("No such submission.") from None
