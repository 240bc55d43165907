"""A refused answer or contest comes back into its form (review.kept_text): the developer's
text is shown once, to them, on that submission's page, and never cached for the others."""

import html

import pytest
from django.test import Client
from django.urls import reverse

from connectors import services
from connectors.models import Membership
from review.contests import contest_open
from review.conversation import MAX_BODY, message_post
from tests.review.admin_support import in_review

pytestmark = pytest.mark.usefixtures("empty_cache")
TOO_LONG = "The <v2> endpoint & 'its' paging were right. " + "x" * MAX_BODY


@pytest.fixture
def sent_back(import_connector, alice, erin):
    submission = in_review(import_connector("sales-crm"), alice)
    return services.submission_request_changes(submission=submission, user=erin, note="Use the v2 endpoint.")


@pytest.fixture
def carol(acme, django_user_model):
    user = django_user_model.objects.create_user("carol", "carol@example.com", "pw")
    Membership.objects.create(user=user, company=acme)
    return user


def _status(client, submission):
    return client.get(reverse("review:status", args=[submission.pk])).content.decode()


def _contest(client, submission, body):
    return client.post(reverse("review:contest", args=[submission.pk]), {"body": body}, follow=True).content.decode()


def test_a_too_long_contest_comes_back_into_its_form_once(client, alice, sent_back):
    client.force_login(alice)
    page = _contest(client, sent_back, TOO_LONG)
    assert "keep it to 5,000 or fewer" in page
    # In the contest's own textarea, escaped, whole.
    start = page.index('id="contest-body"')
    assert html.escape(TOO_LONG) in page[start : page.index("</textarea>", start)]
    assert "<v2>" not in page
    assert TOO_LONG[:40] not in _status(client, sent_back)  # shown once


def test_a_refused_answer_comes_back_into_the_answer_form(client, alice, erin, sent_back):
    message_post(submission=sent_back, user=erin, body="Why page size 10?")
    client.force_login(alice)
    page = client.post(reverse("review:answer", args=[sent_back.pk]), {"body": TOO_LONG}, follow=True).content.decode()
    start = page.index('id="answer-body"')
    assert html.escape(TOO_LONG) in page[start : page.index("</textarea>", start)]


def test_the_text_reaches_no_other_member_and_is_never_cached(client, alice, carol, sent_back):
    others = Client()
    others.force_login(carol)
    _status(others, sent_back)  # the page's part is cached now
    client.force_login(alice)
    client.post(reverse("review:contest", args=[sent_back.pk]), {"body": TOO_LONG})
    assert html.escape(TOO_LONG[:40]) not in _status(others, sent_back)
    assert html.escape(TOO_LONG[:40]) in _status(client, sent_back)
    assert html.escape(TOO_LONG[:40]) not in _status(others, sent_back)  # nor cached by alice's page


def test_the_text_stays_with_its_submission(client, alice, sent_back, import_connector, erin):
    other = in_review(import_connector("sales-crm"), alice)
    client.force_login(alice)
    client.post(reverse("review:contest", args=[sent_back.pk]), {"body": TOO_LONG})
    assert html.escape(TOO_LONG[:40]) not in _status(client, other)
    assert client.get(reverse("review:status", args=[other.pk]), HTTP_HX_REQUEST="true").status_code == 200
    assert html.escape(TOO_LONG[:40]) in _status(client, sent_back)  # a poll or another page did not take it


def test_a_contest_refused_because_the_state_moved_on_is_shown_to_copy(client, alice, sent_back):
    contest_open(submission=sent_back, user=alice, body="First contest.")  # another tab sent one first
    client.force_login(alice)
    page = _contest(client, sent_back, "Second thoughts on the paging.")
    assert 'id="contest-body"' not in page
    start = page.index('data-testid="kept-unsent"')
    assert "Second thoughts on the paging." in page[start:]
    assert "Second thoughts on the paging." not in _status(client, sent_back)


def test_an_empty_contest_keeps_nothing(client, alice, sent_back):
    client.force_login(alice)
    page = _contest(client, sent_back, "   ")
    assert "Write why you contest the decision first" in page
    assert not any(key.startswith("kept-text:") for key in client.session.keys())
