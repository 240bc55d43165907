"""A submission's conversation (issue 12, item 8): an engineer asks from the admin page, the
developers read and answer in the status window; each message is emailed to the other side
and kept in the history; nobody outside the company and the engineers sees or writes it."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from connectors.models import Membership
from portal.errors import PortalError
from portal.permissions import REVIEW_ENGINEERS_GROUP
from review.conversation import message_post
from review.models import Message
from tests.review.admin_support import change_url, in_review


@pytest.fixture
def submission(import_connector, alice):
    return in_review(import_connector("sales-crm"), alice)


def _ask(client, erin, submission, body, capture):
    client.force_login(erin)
    with capture(execute=True):
        return client.post(reverse("admin:connectors_submission_ask", args=[submission.pk]), {"body": body})


def _answer(client, user, submission, body, capture):
    client.force_login(user)
    with capture(execute=True):
        return client.post(reverse("review:answer", args=[submission.pk]), {"body": body})


def test_it_lets_an_engineer_ask_and_emails_the_developers(client, erin, alice, submission, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    response = _ask(client, erin, submission, "Which account should we test with?", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    message = Message.objects.get()
    assert (message.from_engineer, message.author_name, message.body) == (True, "erin", "Which account should we test with?")
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert "a question from the reviewers" in mail.outbox[0].subject
    assert "Which account should we test with?" in mail.outbox[0].body
    event = submission.events.get(transition="reviewer_asked")
    assert (event.actor, event.reason, event.label) == (erin, message.body, "Question from the reviewers")


def test_it_shows_the_question_to_the_developer_who_answers_it(client, erin, alice, submission, django_capture_on_commit_callbacks):
    _ask(client, erin, submission, "Which account?", django_capture_on_commit_callbacks)
    client.force_login(alice)
    page = client.get(reverse("review:status", args=[submission.pk])).content.decode()
    assert "Which account?" in page and "Answer the reviewers" in page
    mail.outbox.clear()
    response = _answer(client, alice, submission, "Use demo / demo.", django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"].endswith("#conversation")
    assert [m.to for m in mail.outbox] == [["erin@example.com"]]  # the engineer who asked
    assert "the developer answered" in mail.outbox[0].subject and "Use demo / demo." in mail.outbox[0].body
    assert reverse("admin:connectors_submission_change", args=[submission.pk]) in mail.outbox[0].body
    client.force_login(erin)
    admin_page = client.get(change_url(submission)).content.decode()
    assert "Which account?" in admin_page and "Use demo / demo." in admin_page
    history = [e.label for e in submission.events.all()]
    assert "Question from the reviewers" in history and "Answer from the developer" in history


def test_it_refuses_an_answer_before_any_question(alice, submission):
    with pytest.raises(PortalError, match="not asked anything yet"):
        message_post(submission=submission, user=alice, body="Hello?")


def test_it_hides_the_conversation_from_another_company(client, erin, bob, submission, django_capture_on_commit_callbacks):
    _ask(client, erin, submission, "A private question", django_capture_on_commit_callbacks)
    client.force_login(bob)
    assert client.get(reverse("review:status", args=[submission.pk])).status_code == 404
    assert client.post(reverse("review:answer", args=[submission.pk]), {"body": "x"}).status_code == 404
    with pytest.raises(PortalError, match="Only the connector's company"):
        message_post(submission=submission, user=bob, body="Let me in")
    assert Message.objects.count() == 1


def test_it_lets_no_developer_ask_from_the_admin(client, alice, submission):
    client.force_login(alice)
    response = client.post(reverse("admin:connectors_submission_ask", args=[submission.pk]), {"body": "x"})
    assert response.status_code in (302, 403) and not Message.objects.exists()


@pytest.mark.parametrize("body, problem", [("   ", "empty"), ("x" * 5001, "5,000 or fewer")])
def test_it_refuses_an_empty_or_overlong_message(erin, submission, body, problem):
    with pytest.raises(PortalError, match=problem):
        message_post(submission=submission, user=erin, body=body)


def test_it_falls_back_to_every_engineer_when_the_asker_is_gone(client, erin, alice, submission, django_user_model, django_capture_on_commit_callbacks):
    _ask(client, erin, submission, "Q?", django_capture_on_commit_callbacks)
    other = django_user_model.objects.create_user("olga", "olga@example.com", "pw", is_staff=True)
    other.groups.add(Group.objects.get(name=REVIEW_ENGINEERS_GROUP))
    erin.is_active = False
    erin.save()
    mail.outbox.clear()
    _answer(client, alice, submission, "A.", django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["olga@example.com"]]
    assert Membership.objects.filter(user=alice).exists()
