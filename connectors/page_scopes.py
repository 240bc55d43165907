"""What each cached page part shows (portal.fragments), and the writes that change it.

- `submission:<pk>`: one submission's status window and View Code;
- `connector:<pk>`: the same pages of every version of one connector (what they show of
  the draft, of the other versions, of the connector's waivers);
- `company:<pk>`: the Develop page's rows of one company;
- `data-center`: the Data Center's listing, search and connector pages.

The engineers' queue is not cached: Django's ChangeList reads it on every view.

Saves and deletes are followed here through Django's signals, so an admin edit counts as
much as a service. Bulk writes send no signal: each calls `changed` itself (betas'
expiry, the listed flag, the review's phases and findings).
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from connectors.models import Company, Connector, ReviewState, Submission, SubmissionEvent, Visibility
from portal.fragments import changed

DATA_CENTER = "data-center"
PUBLISHED_STATES = (ReviewState.APPROVED, ReviewState.ROLLED_BACK, ReviewState.TAKEN_DOWN, ReviewState.UNPUBLISHED)


def submission_scope(pk) -> str:
    return f"submission:{pk}"


def connector_scope(pk) -> str:
    return f"connector:{pk}"


def company_scope(pk) -> str:
    return f"company:{pk}"


def submissions_changed(ids) -> None:
    """Bulk writes to these submissions' rows: their pages and their companies' rows."""
    ids = list(ids)
    if not ids:
        return
    owners = Submission.objects.filter(pk__in=ids).values_list("connector_id", "connector__company_id")
    changed(*map(submission_scope, ids), *(connector_scope(c) for c, _ in owners),
            *(company_scope(c) for _, c in owners))


def _company_of(submission: Submission):
    if Submission.connector.is_cached(submission):
        return submission.connector.company_id
    return Connector.objects.filter(pk=submission.connector_id).values_list("company_id", flat=True).first()


@receiver([post_save, post_delete], sender=Submission, dispatch_uid="connectors.page_scopes.submission")
def _submission_saved(sender, instance, **kwargs):
    # A listed version's name, number and company show in the Data Center; a version that
    # stops being listed goes through sync_listing, which says so itself.
    # A published public version is also a line of the listed one's version history
    # (selectors.version_history), so its taking down or rolling back shows there too.
    history = instance.visibility == Visibility.PUBLIC and instance.state in PUBLISHED_STATES
    changed(submission_scope(instance.pk), connector_scope(instance.connector_id),
            company_scope(_company_of(instance)), DATA_CENTER if instance.listed or history else "")


@receiver([post_save, post_delete], sender=SubmissionEvent, dispatch_uid="connectors.page_scopes.event")
def _event_saved(sender, instance, **kwargs):
    # The Develop rows badge a question to answer and a "Request changes" note (develop_rows).
    company = Submission.objects.filter(pk=instance.submission_id).values_list("connector__company_id", flat=True).first()
    changed(submission_scope(instance.submission_id), company_scope(company) if company else "")


@receiver([post_save, post_delete], sender=Connector, dispatch_uid="connectors.page_scopes.connector")
def _connector_saved(sender, instance, **kwargs):
    changed(connector_scope(instance.pk), company_scope(instance.company_id))


@receiver([post_save, post_delete], sender=Company, dispatch_uid="connectors.page_scopes.company")
def _company_saved(sender, instance, **kwargs):
    # Its name shows in the Data Center as well as on its own rows.
    changed(company_scope(instance.pk), DATA_CENTER)
