"""Issue 20, item 1: the engineer's "Request changes" note and the reviewers' unanswered
questions reach the developer: at the top of the editor and of the status window, and as
badges on the Develop row (they were only in the history at the status page's bottom)."""

import pytest
from django.urls import reverse

from connectors import services
from connectors.develop_rows import row_html
from review.conversation import message_post
from tests.review.admin_support import in_review

pytestmark = pytest.mark.usefixtures("empty_cache")
NOTE = "Page through /v1/deals with the cursor, not offsets."


@pytest.fixture
def sent_back(import_connector, alice, erin):
    submission = in_review(import_connector("sales-crm"), alice)
    message_post(submission=submission, user=erin, body="Which API version do you call?")
    return services.submission_request_changes(submission=submission, user=erin, note=NOTE)


def _get(client, name, pk):
    return client.get(reverse(name, args=[pk])).content.decode()


def test_the_editor_shows_the_note_and_the_open_question_first(client, alice, sent_back):
    client.force_login(alice)
    body = _get(client, "connectors:edit", sent_back.connector_id)
    assert 'data-testid="request-note"' in body and NOTE in body
    assert "Which API version do you call?" in body
    # Above the editor's own parts.
    assert body.index(NOTE) < body.index('id="replace-bundle"')


def test_the_status_window_says_what_to_fix_at_its_top(client, alice, sent_back):
    client.force_login(alice)
    body = _get(client, "review:status", sent_back.pk)
    assert 'id="what-to-fix"' in body and NOTE in body
    assert body.index('id="what-to-fix"') < body.index("Review phases")
    assert "Which API version do you call?" in body
    assert reverse("connectors:edit", args=[sent_back.connector_id]) in body


def test_an_answered_question_is_no_longer_listed(client, alice, sent_back):
    message_post(submission=sent_back, user=alice, body="v2.")
    client.force_login(alice)
    assert "Which API version do you call?" not in _get(client, "connectors:edit", sent_back.connector_id)
    status = _get(client, "review:status", sent_back.pk)
    assert 'data-testid="open-questions"' not in status and 'data-testid="request-note"' in status


def test_the_develop_row_badges_the_note_and_the_question(client, alice, erin, sent_back):
    client.force_login(alice)
    develop = client.get(reverse("connectors:develop")).content.decode()
    assert 'data-badge="request-note"' in develop and 'data-badge="question"' in develop
    message_post(submission=sent_back, user=alice, body="v2.")
    develop = client.get(reverse("connectors:develop")).content.decode()
    assert 'data-badge="request-note"' in develop and 'data-badge="question"' not in develop


def test_a_row_without_asks_has_no_badge():
    from django.utils import timezone

    now = timezone.now()
    html = row_html({"pk": 1, "name": "x", "latest_number": 1, "latest_state": "in_review", "latest_beta_state": "none",
                     "edit_url": "/e", "export_url": "/x", "updated_at": now, "updated_iso": "", "updated_title": "",
                     "latest_talk": "developer_answered", "latest_has_note": False})
    assert "data-badge" not in html
