"""A burst of conversation messages mails each side once per window, then one digest of the rest."""

import ast
from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django_q.models import Schedule

from review import tasks
from review.conversation import message_post
from review.models import SentEmail
from tests.review.admin_support import in_review

DIGEST_TASK = "review.tasks.send_conversation_digest"


@pytest.fixture
def submission(import_connector, alice, erin, django_capture_on_commit_callbacks):
    submission = in_review(import_connector("sales-crm"), alice)
    with django_capture_on_commit_callbacks(execute=True):
        message_post(submission=submission, user=erin, body="Which account should we test with?")
    mail.outbox.clear()
    return submission


def _answer(submission, alice, body, capture):
    with capture(execute=True):
        message_post(submission=submission, user=alice, body=body)


def _run_digests():
    sent = 0
    for scheduled in Schedule.objects.filter(func=DIGEST_TASK):
        sent += tasks.send_conversation_digest(*ast.literal_eval(scheduled.args))
    return sent


def test_twenty_five_answers_in_a_row_send_one_email_then_one_digest(
        submission, alice, django_capture_on_commit_callbacks):
    for n in range(1, 26):
        _answer(submission, alice, f"Answer number {n}.", django_capture_on_commit_callbacks)
    # The first goes at once; the other 24 wait for the window's end, in one scheduled digest.
    assert len(mail.outbox) == 1 and "Answer number 1." in mail.outbox[0].body
    digests = Schedule.objects.filter(func=DIGEST_TASK)
    assert digests.count() == 1
    assert digests.get().next_run > SentEmail.objects.get(kind="answer").sent_at
    mail.outbox.clear()
    assert _run_digests() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["erin@example.com"]
    body = mail.outbox[0].body
    assert all(f"Answer number {n}." in body for n in range(2, 26)) and "Answer number 1." not in body
    # Each held message is recorded as sent: a retried task or a second digest mails nothing.
    mail.outbox.clear()
    assert _run_digests() == 0 and tasks.send_event_emails(
        list(submission.events.filter(transition="developer_answered").values_list("pk", flat=True))) == 0
    assert mail.outbox == []


def test_after_the_window_the_next_message_goes_at_once(submission, alice, django_capture_on_commit_callbacks):
    _answer(submission, alice, "First.", django_capture_on_commit_callbacks)
    SentEmail.objects.update(sent_at=SentEmail.objects.get(kind="answer").sent_at - timedelta(minutes=11))
    _answer(submission, alice, "Much later.", django_capture_on_commit_callbacks)
    assert [("Much later." in m.body) for m in mail.outbox] == [False, True]
    assert not Schedule.objects.filter(func=DIGEST_TASK).exists()


@override_settings(CONVERSATION_EMAIL_MINUTES=0)
def test_a_window_of_zero_sends_every_message(submission, alice, django_capture_on_commit_callbacks):
    for n in range(3):
        _answer(submission, alice, f"A{n}", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 3


def test_each_side_and_each_submission_has_a_window_of_its_own(
        submission, alice, erin, import_connector, django_capture_on_commit_callbacks):
    # The fixture's question opened the developers' window on `submission`, not the engineers'.
    _answer(submission, alice, "Use demo / demo.", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        message_post(submission=submission, user=erin, body="Thanks, and the region?")
    other = in_review(import_connector("sales-crm-xhr"), alice)
    with django_capture_on_commit_callbacks(execute=True):
        message_post(submission=other, user=erin, body="A question on the other one.")
    assert [(m.to, "Use demo" in m.body, "other one" in m.body) for m in mail.outbox] == [
        (["erin@example.com"], True, False), (["alice@example.com"], False, True)]
    assert [ast.literal_eval(s.args)[:2] for s in Schedule.objects.filter(func=DIGEST_TASK)] == [
        (submission.pk, "question")]
