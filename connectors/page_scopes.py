"""What each cached page part shows (portal.fragments), and the writes that change it.

- `submission:<pk>`: one submission's status window and View Code;
- `connector:<pk>`: the same pages of every version of one connector (what they show of
  the draft, of the other versions, of the connector's waivers);
- `company:<pk>`: the Develop page's rows of one company;
- `data-center`: the Data Center's listing and search;
- `review-queue`: the engineers' queue.

Saves and deletes are followed here through Django's signals, so an admin edit counts as
much as a service. Bulk writes send no signal: each calls `changed` itself (betas'
expiry, the listed flag, the review's phases and findings).
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from connectors.models import Company, Connector, Submission, SubmissionEvent
from portal.fragments import changed

DATA_CENTER = "data-center"
REVIEW_QUEUE = "review-queue"


def submission_scope(pk) -> str:
    return f"submission:{pk}"


def connector_scope(pk) -> str:
    return f"connector:{pk}"


def company_scope(pk) -> str:
    return f"company:{pk}"


def submissions_changed(ids) -> None:
    """Bulk writes to these submissions' rows: their pages, their companies' rows, the queue."""
    ids = list(ids)
    if not ids:
        return
    owners = Submission.objects.filter(pk__in=ids).values_list("connector_id", "connector__company_id")
    changed(*map(submission_scope, ids), *(connector_scope(c) for c, _ in owners),
            *(company_scope(c) for _, c in owners), REVIEW_QUEUE)


def _company_of(submission: Submission):
    if Submission.connector.is_cached(submission):
        return submission.connector.company_id
    return Connector.objects.filter(pk=submission.connector_id).values_list("company_id", flat=True).first()


@receiver([post_save, post_delete], sender=Submission, dispatch_uid="connectors.page_scopes.submission")
def _submission_saved(sender, instance, **kwargs):
    # A listed version's name, number and company show in the Data Center; a version that
    # stops being listed goes through sync_listing, which says so itself.
    changed(submission_scope(instance.pk), connector_scope(instance.connector_id),
            company_scope(_company_of(instance)), REVIEW_QUEUE, DATA_CENTER if instance.listed else "")


@receiver([post_save, post_delete], sender=SubmissionEvent, dispatch_uid="connectors.page_scopes.event")
def _event_saved(sender, instance, **kwargs):
    changed(submission_scope(instance.submission_id))


@receiver([post_save, post_delete], sender=Connector, dispatch_uid="connectors.page_scopes.connector")
def _connector_saved(sender, instance, **kwargs):
    # Not the queue: it shows each version's own name, not the draft's.
    changed(connector_scope(instance.pk), company_scope(instance.company_id))


@receiver([post_save, post_delete], sender=Company, dispatch_uid="connectors.page_scopes.company")
def _company_saved(sender, instance, **kwargs):
    # Its name shows in the Data Center and the queue as well as on its own rows.
    changed(company_scope(instance.pk), DATA_CENTER, REVIEW_QUEUE)
