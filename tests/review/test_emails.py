"""Every email to the developers: who gets it, what it says, what it never says."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from connectors import services
from connectors.models import Membership, Submission
from review import services as review_services
from review.models import Phase
from review.pipeline import emails, jobs

pytestmark = pytest.mark.django_db

# Every email is checked against both: neither may ever appear in one.
INSTRUCTIONS = "Reviewer login: SECRET-TEST-PASSWORD-4711"
CLIENT_SECRET = "SECRET-OAUTH-CLIENT-0815"


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a service with its on-commit work (email tasks, sync mode), return the new emails."""

    def _run(fn, *args, **kwargs):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            result = fn(*args, **kwargs)
        return result, list(mail.outbox)

    return _run


@pytest.fixture
def make(import_connector, alice, run):
    def _make(bundle="sales-crm", visibility="company"):
        connector = import_connector(bundle)
        services.connector_update(connector=connector, user=alice, oauth2_client_secret=CLIENT_SECRET)
        submission, sent = run(
            services.connector_submit, connector=connector, user=alice, visibility=visibility, instructions=INSTRUCTIONS
        )
        return Submission.objects.get(pk=submission.pk), sent

    return _make


def bodies(message):
    return [message.body] + [content for content, _mime in message.alternatives]


def assert_clean(messages):
    for message in messages:
        for body in bodies(message) + [message.subject]:
            assert INSTRUCTIONS not in body and "SECRET-TEST-PASSWORD" not in body
            assert CLIENT_SECRET not in body


def only(messages, subject_part):
    chosen = [m for m in messages if subject_part in m.subject]
    assert len(chosen) == 1, [m.subject for m in messages]
    return chosen[0]


def test_it_mails_every_member_with_an_address_one_message_each(make, acme, bob, django_user_model):
    colleague = django_user_model.objects.create_user("carol", "carol@example.com", "pw")
    Membership.objects.create(user=colleague, company=acme)
    no_address = django_user_model.objects.create_user("dave", "", "pw")
    Membership.objects.create(user=no_address, company=acme)

    _submission, sent = make()

    submitted = [m for m in sent if "submitted for review" in m.subject]
    assert sorted(m.to[0] for m in submitted) == ["alice@example.com", "carol@example.com"]
    assert all(len(m.to) == 1 for m in sent)
    assert not any("bob@example.com" in m.to for m in sent)


def test_it_says_submitted_and_checks_passed(make):
    submission, sent = make()

    submitted = only(sent, "submitted for review")
    assert "Version 1 of Example Sales CRM" in submitted.body
    assert f"/submissions/{submission.pk}/" in submitted.body
    assert submitted.alternatives[0][1] == "text/html"
    passed = only(sent, "checks passed")
    assert "An engineer now signs off" in passed.body
    assert_clean(sent)


def test_it_lists_the_error_findings_when_the_checks_fail(make):
    _submission, sent = make("sales-crm-xhr")

    failed = only(sent, "found errors")
    assert "no-xmlhttprequest" in failed.body
    assert "processdata.js:" in failed.body
    assert "no-xmlhttprequest" in failed.alternatives[0][0]
    assert not [m for m in sent if "changes requested" in m.subject]  # one email, not two
    assert_clean(sent)


def test_it_sends_the_engineers_note_when_changes_are_requested(make, erin, run):
    submission, _ = make()

    _, sent = run(
        review_services.phase_sign_off,
        submission=submission, phase=Phase.SECURITY, engineer=erin, passed=False, note="Do not log the token.",
    )

    requested = only(sent, "changes requested")
    assert "Do not log the token." in requested.body
    assert "Do not log the token." in requested.alternatives[0][0]
    assert_clean(sent)


def test_it_announces_the_approval_with_the_private_url(make, erin, run):
    submission, _ = make()
    for phase in (Phase.SECURITY, Phase.CODE_REVIEW):
        review_services.phase_sign_off(submission=submission, phase=phase, engineer=erin, passed=True)

    approved, sent = run(services.submission_approve, submission=submission, user=erin, note="Nice work.")

    message = only(sent, "was approved")
    assert f"http://testserver.example/private/{approved.private_token}/" in message.body
    assert "Nice work." in message.body
    assert_clean(sent)


def test_it_confirms_a_withdrawal(make, alice, run):
    submission, _ = make()

    _, sent = run(services.submission_withdraw, submission=submission, user=alice)

    assert "withdrawn from review" in only(sent, "was withdrawn").body
    assert_clean(sent)


def test_it_gives_the_beta_url_and_expiry_when_published(make, alice, run):
    submission, _ = make()

    published, sent = run(services.submission_self_publish, submission=submission, user=alice)

    message = only(sent, "your beta is live")
    assert f"http://testserver.example/beta/{published.beta_token}/" in message.body
    assert f"{published.beta_expires_at:%Y-%m-%d %H:%M} UTC" in message.body
    assert_clean(sent)


@pytest.mark.parametrize("days,left", [(3, timedelta(days=2, hours=20)), (1, timedelta(hours=20))])
def test_it_reminds_before_the_beta_expires(make, alice, run, days, left):
    submission, _ = make()
    services.submission_self_publish(submission=submission, user=alice)
    Submission.objects.filter(pk=submission.pk).update(beta_expires_at=timezone.now() + left)

    _, sent = run(jobs.betas_send_reminders)

    message = only(sent, f"expires in {days} day")
    assert f"/beta/{Submission.objects.get(pk=submission.pk).beta_token}/" in message.body
    assert_clean(sent)


def test_it_says_when_the_beta_expired(make, alice, run):
    submission, _ = make()
    services.submission_self_publish(submission=submission, user=alice)
    Submission.objects.filter(pk=submission.pk).update(beta_expires_at=timezone.now() - timedelta(minutes=1))

    _, sent = run(services.betas_expire_due)

    message = only(sent, "your beta has expired")
    assert "no longer works" in message.body
    assert_clean(sent)


def test_it_sends_an_event_email_once_when_the_task_runs_twice(make):
    submission, _ = make()
    event = submission.events.get(transition="submit")
    mail.outbox.clear()

    assert emails.send_event_email(event.pk) is False

    assert mail.outbox == []


def test_it_says_nothing_for_the_machine_starting_the_review(make):
    submission, sent = make()

    event = submission.events.get(transition="start_review")
    assert emails.event_email(event) is None
    assert not [m for m in sent if "In review" in m.subject]


@pytest.fixture(autouse=True)
def site_url():
    with override_settings(SITE_URL="http://testserver.example"):
        yield



def test_it_sends_the_rest_of_a_batch_and_retries_an_email_that_failed_later(make, monkeypatch):
    from django_q.brokers import get_broker
    from django_q.models import Schedule
    from django_q.scheduler import scheduler

    from review import tasks

    events = []
    for _ in range(2):
        submission, _sent = make()
        events.append(submission.events.get(transition="submit").pk)
    emails.SentEmail.objects.filter(key__in=[f"event:{pk}" for pk in events]).delete()
    real_send_once = emails.send_once

    def the_first_fails(key, *args, **kwargs):
        if key == f"event:{events[0]}":
            raise ConnectionError("the mail server went away")
        return real_send_once(key, *args, **kwargs)

    monkeypatch.setattr(emails, "send_once", the_first_fails)
    mail.outbox.clear()

    assert tasks.send_event_emails(events) == 1
    assert len(mail.outbox) == 1

    monkeypatch.setattr(emails, "send_once", real_send_once)
    retry = Schedule.objects.get(func="review.tasks.send_event_emails")
    assert retry.schedule_type == Schedule.ONCE and retry.next_run > timezone.now()
    Schedule.objects.filter(pk=retry.pk).update(next_run=timezone.now() - timedelta(seconds=1))
    scheduler(broker=get_broker())  # sync mode: the retry runs here

    assert len(mail.outbox) == 2
    assert emails.SentEmail.objects.filter(key=f"event:{events[0]}").exists()
