"""django-q2 entry points: each takes ids, calls one service, and nothing else.

Queued on commit (see review.receivers) or by the Schedules of migration 0004.
"""

from review import emails, jobs, services


def review_submission(submission_id):
    return services.review_submission(submission_id)


def send_event_email(event_id):
    return emails.send_event_email(event_id)


def send_event_emails(event_ids):
    return sum(emails.send_event_email(event_id) for event_id in event_ids)


def send_checks_passed_email(submission_id):
    return emails.send_checks_passed_email(submission_id)


def send_beta_reminders(submission_ids, days):
    return sum(emails.send_beta_reminder(submission_id, days) for submission_id in submission_ids)


def expire_betas():
    return jobs.betas_expire_due()


def remind_betas():
    return jobs.betas_send_reminders()


def purge_secrets():
    return jobs.secrets_purge_ended()


def reconcile_reviews():
    return jobs.reviews_reconcile()
