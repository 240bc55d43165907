"""Follow every submission change: queue the review run after a submit, and an email."""

import logging

from django.dispatch import receiver
from django_q.tasks import async_task

from connectors.models import SubmissionEvent
from connectors.signals import submission_changed
from review.services import queue_review

logger = logging.getLogger(__name__)


@receiver(submission_changed, dispatch_uid="review.receivers.on_submission_changed")
def on_submission_changed(sender, submission_id, event_id, emails_queued=False, **kwargs):
    if emails_queued:
        return  # a bulk job (beta expiry) queued these emails itself, one task per chunk
    # The signal fires after commit, so the task can never see an uncommitted submit.
    transition = SubmissionEvent.objects.filter(pk=event_id).values_list("transition", flat=True).first()
    try:
        if transition == "submit":
            queue_review(submission_id)
        async_task("review.tasks.send_event_email", event_id, task_name=f"event-email-{event_id}")
    except Exception:
        # The change is committed already; a broker hiccup must not turn it into an
        # error page. The reconciler re-queues a review that never started.
        logger.exception("Could not queue the follow-up of event %s (submission %s)", event_id, submission_id)
