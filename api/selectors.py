"""Reads for the API and the token settings page, scoped to the user."""

from django.db.models import QuerySet
from django.http import Http404

from api.models import ApiToken
from connectors.models import Submission
from connectors.selectors import UNREAD_ON_PAGES, submission_list_for_user


def api_token_list_for_user(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def api_token_get_for_user(user, pk) -> ApiToken:
    try:
        return api_token_list_for_user(user).get(pk=pk)
    except (ApiToken.DoesNotExist, ValueError):
        raise Http404("No such token.") from None


def submission_detail_for_user(user, pk) -> Submission:
    """A submission of the user's companies (its review is read by review.pages.summary)."""
    try:
        return submission_list_for_user(user).defer(*UNREAD_ON_PAGES).get(pk=pk)
    except (Submission.DoesNotExist, ValueError):
        raise Http404("No such submission.") from None
