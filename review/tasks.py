"""django-q2 entry points: each takes ids, calls one service, and nothing else.

Queued on commit (see review.pipeline.receivers) or by the Schedules of migration 0004.
"""

from connectors import services as connector_services
from review import services
from review.pipeline import emails, jobs


def review_submission(submission_id, deferred=0):
    return services.review_submission(submission_id, deferred)


def check_draft(connector_id):
    return services.connector_check(connector_id)


def send_event_emails(event_ids, attempt=0):
    return emails.send_event_emails(event_ids, attempt)


def send_conversation_digest(submission_id, kind, after_event_id, attempt=0):
    return emails.send_conversation_digest(submission_id, kind, after_event_id, attempt)


def send_beta_reminders(submission_ids, days, attempt=0):
    return emails.send_beta_reminders(submission_ids, days, attempt)


def expire_betas():
    return connector_services.betas_expire_due()


def remind_betas():
    return jobs.betas_send_reminders()


def purge_secrets():
    return jobs.secrets_purge_ended()


def reconcile_reviews():
    return jobs.reviews_reconcile()
