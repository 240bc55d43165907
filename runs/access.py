"""Which connector version a user may run from which page (issue 22): else 404, or refused.

beta: members of the owning company, while the beta is live; private: an approved
company connector, its company; public: an approved public connector, anyone signed in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from connectors import selectors as connector_selectors
from connectors.models import Company, ReviewState, Submission


class RunRefused(Exception):
    """The page exists for this user, but a run cannot start (expired beta, limits)."""


@dataclass(frozen=True)
class Runnable:
    submission: Submission
    kind: str  # "beta", "private", "public"
    key: str  # the token or pk in the page's URL
    company: Company | None  # the user's company the run counts against


def runnable(user, kind: str, key: str) -> Runnable:
    """The version behind a run page, for this user; 404 for anyone who may not see it."""
    if kind == "public":
        try:
            submission = connector_selectors.data_center_get(int(key))
        except ValueError:
            raise Http404("No such connector.") from None
        company = connector_selectors.companies_for_user(user).first()
        return Runnable(submission, kind, key, company)
    finder = {"beta": connector_selectors.submission_for_beta_token,
              "private": connector_selectors.submission_for_private_token}.get(kind)
    submission = finder(key) if finder else None
    if submission is None or not connector_selectors.user_is_member(user, submission.connector.company):
        raise Http404("No such connector.")
    if kind == "private" and submission.state != ReviewState.APPROVED:
        raise Http404("No such connector.")
    return Runnable(submission, kind, key, submission.connector.company)


def check_still_runnable(target: Runnable) -> None:
    """RunRefused when the page is still there but runs are over (a beta past its expiry)."""
    if target.kind == "beta" and not connector_selectors.beta_is_live(target.submission):
        raise RunRefused("This beta has expired: it can no longer be run.")
