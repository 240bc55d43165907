"""Follow every recorded submission change: queue the review run after a submit, and the emails."""

import logging

from django.dispatch import receiver
from django_q.tasks import async_task

from connectors.models import SubmissionEvent
from connectors.signals import submission_events
from connectors.transitions import step
from review import services

logger = logging.getLogger(__name__)


@receiver(submission_events, dispatch_uid="review.pipeline.receivers.on_submission_events")
def on_submission_events(sender, event_ids, **kwargs):
    # Sent after commit, so a queued task can never see an uncommitted change.
    events = list(SubmissionEvent.objects.filter(pk__in=event_ids).values_list("pk", "submission_id", "transition"))
    try:
        for _pk, submission_id, name in events:
            if name == "submit":
                services.queue_review(submission_id)
        mailed = [pk for pk, _s, name in events if step(name).email]
        if mailed:
            # One task for a bulk job's chunk: an enqueue costs milliseconds, 10,000 times a minute.
            async_task("review.tasks.send_event_emails", mailed, task_name=f"event-emails-{mailed[0]}")
    except Exception:
        # The change is committed already; a broker hiccup must not turn it into an
        # error page. The reconciler re-queues a review that never started.
        logger.exception("Could not queue the follow-up of events %s", event_ids)
