"""The review's rows on cached page parts (connectors.page_scopes): phases show on the
status window and the queue, findings, messages and waivers on the status window and View
Code. Bulk writes call `review_rows_changed` themselves."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from connectors.page_scopes import REVIEW_QUEUE, connector_scope, submission_scope
from portal.fragments import changed
from review.models import Finding, Message, ReviewPhase, Waiver


def waivers_scope(connector_id) -> str:
    """An ended review's cached summary (review.summary): only a waiver can change it."""
    return f"waivers:{connector_id}"


def review_rows_changed(*submission_ids) -> None:
    changed(*map(submission_scope, submission_ids), REVIEW_QUEUE)


@receiver([post_save, post_delete], sender=ReviewPhase, dispatch_uid="review.page_scopes.phase")
def _phase_saved(sender, instance, **kwargs):
    review_rows_changed(instance.submission_id)


@receiver([post_save, post_delete], sender=Finding, dispatch_uid="review.page_scopes.finding")
@receiver([post_save, post_delete], sender=Message, dispatch_uid="review.page_scopes.message")
def _row_saved(sender, instance, **kwargs):
    changed(submission_scope(instance.submission_id))


@receiver([post_save, post_delete], sender=Waiver, dispatch_uid="review.page_scopes.waiver")
def _waiver_saved(sender, instance, **kwargs):
    # A waiver changes how the findings of every version of its connector read.
    changed(connector_scope(instance.connector_id), waivers_scope(instance.connector_id))
