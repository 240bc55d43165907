from django.dispatch import Signal

# Sent after the transaction that changed a submission commits, once per transition.
# Arguments: submission_id, event_id (a SubmissionEvent). The review pipeline and
# the emails listen; the services do not need to know who does.
submission_changed = Signal()
