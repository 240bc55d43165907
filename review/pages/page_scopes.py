"""The review's rows on cached page parts (connectors.page_scopes): phases, findings and
messages and contests show on their submission's status window and View Code; a waiver changes how
the findings of every version of its connector read. Bulk writes call
`review_rows_changed` themselves (a queryset's update, delete or bulk_create sends no
signal)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from connectors.page_scopes import connector_scope, submission_scope
from portal.fragments import changed
from review.models import Contest, Finding, Message, ReviewPhase, Waiver


def review_rows_changed(*submission_ids) -> None:
    changed(*map(submission_scope, submission_ids))


@receiver([post_save, post_delete], dispatch_uid="review.pages.page_scopes.row")
def _row_saved(sender, instance, **kwargs):
    # One receiver for every model, filtered here: fewer moving parts than one per model.
    if sender in (ReviewPhase, Finding, Message, Contest):
        review_rows_changed(instance.submission_id)
    elif sender is Waiver:
        changed(connector_scope(instance.connector_id))
