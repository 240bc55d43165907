from django.dispatch import Signal

# Sent by connectors.services.announce after the transaction that wrote history rows
# commits, with event_ids (SubmissionEvent ids, one or a bulk job's chunk). The review
# app follows (queues the review run after a submit, sends the emails the
# connectors.transitions table names); this app does not know it.
submission_events = Signal()
