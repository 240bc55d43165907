"""Standard reasons (issue 21, item 7): "Request changes" and a take-down offer reasons tied to
Domo's four policies and the review's rule ids (connectors.standard_reasons, one list for both
forms), each with its text and a link to the review rules page, plus free text; the emails
and the editor's "What to fix" show them."""

import re
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from connectors import services, standard_reasons
from connectors.errors import InvalidSubmission
from connectors.models import ReviewState
from review.engine.rules import RULES
from tests.review.admin_support import change_url, in_review, post_decision

pytestmark = pytest.mark.usefixtures("empty_cache")
CONTRACT = Path(__file__).resolve().parents[2] / "docs" / "bundle-format.md"
POLICIES = {"no-xmlhttprequest", "no-minified-code", "no-hardcoded-credentials", "no-external-data"}


def test_the_four_policies_come_first_and_every_rule_id_is_one_the_review_runs():
    assert {r.id for r in standard_reasons.REASONS[:4]} == POLICIES
    assert {r.id for r in standard_reasons.REASONS if r.policy} == POLICIES
    table = CONTRACT.read_text().split("## Rule ids", 1)[1].split("\n## ", 1)[0]
    contract = set(re.findall(r"^\| `([a-z0-9-]+)` \|", table, flags=re.MULTILINE))
    engine = {rule.id for rule in RULES}
    for reason in standard_reasons.REASONS:
        assert reason.rules and set(reason.rules) <= contract & engine, reason.id
        assert reason.text and reason.title
    assert len(standard_reasons.BY_ID) == len(standard_reasons.REASONS)  # ids are unique


def test_both_forms_offer_the_policies():
    for decision in (standard_reasons.REQUEST_CHANGES, standard_reasons.TAKE_DOWN):
        assert {r.id for r in standard_reasons.choices_for(decision)} >= POLICIES


def test_the_rules_page_has_an_anchor_for_every_reason(client):
    page = client.get(reverse("connectors:review_rules")).content.decode()  # public: emails link here
    for reason in standard_reasons.REASONS:
        assert f'id="{reason.id}"' in page and escape(reason.text) in page
        assert reason.url == reverse("connectors:review_rules") + f"#{reason.id}"


@pytest.fixture
def reviewing(import_connector, alice):
    return in_review(import_connector("sales-crm"), alice)


def test_request_changes_stores_the_reasons_and_emails_them_with_their_links(
        reviewing, erin, alice, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_request_changes(submission=reviewing, user=erin, note="",
                                            reasons=["no-external-data", "no-xmlhttprequest"])
    event = reviewing.events.get(transition="request_changes")
    assert (event.reasons, event.reason) == (["no-xmlhttprequest", "no-external-data"], "")  # the list's order
    [email] = mail.outbox
    xhr = standard_reasons.BY_ID["no-xmlhttprequest"]
    assert xhr.title in email.body and xhr.text in email.body and xhr.url in email.body
    html = email.alternatives[0][0]
    assert 'href="http' in html and xhr.url in html and standard_reasons.BY_ID["no-external-data"].title in html


def test_request_changes_needs_a_reason_or_a_note_and_refuses_an_unknown_reason(reviewing, erin):
    with pytest.raises(InvalidSubmission, match="needs a note or a standard reason"):
        services.submission_request_changes(submission=reviewing, user=erin, note=" ", reasons=[])
    with pytest.raises(InvalidSubmission, match="no standard reason 'made-up'"):
        services.submission_request_changes(submission=reviewing, user=erin, note="x", reasons=["made-up"])
    assert reviewing.events.filter(transition="request_changes").count() == 0


def test_a_take_down_with_only_standard_reasons(public_approved, erin, alice, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_take_down(submission=public_approved, user=erin, reason="", reasons=["no-hardcoded-credentials"])
    assert public_approved.events.get(transition="take_down").reasons == ["no-hardcoded-credentials"]
    [email] = mail.outbox
    assert "Hard-coded credentials" in email.body and "Hard-coded credentials" in email.alternatives[0][0]
    with pytest.raises(InvalidSubmission, match="no standard reason 'too-slow'"):  # not a take-down's reason
        services.connector_take_down(connector=public_approved.connector, user=erin, reason="x", reasons=["too-slow"])


def test_the_editor_and_the_status_window_show_the_reasons_in_what_to_fix(reviewing, erin, alice, client):
    services.submission_request_changes(submission=reviewing, user=erin, note="See line 3.",
                                        reasons=["no-minified-code"])
    reason = standard_reasons.BY_ID["no-minified-code"]
    client.force_login(alice)
    for page in (client.get(reverse("connectors:edit", args=[reviewing.connector_id])),
                 client.get(reverse("review:status", args=[reviewing.pk]))):
        body = page.content.decode()
        assert 'data-testid="request-reasons"' in body and escape(reason.text) in body and f'href="{reason.url}"' in body
        assert "See line 3." in body
    # And the history names them, in the status window and on the engineers' page.
    assert f'<a href="{reason.url}">{reason.title}</a>' in body
    client.force_login(erin)
    assert f'<a href="{reason.url}">{reason.title}</a>' in client.get(change_url(reviewing)).content.decode()


def test_the_admin_forms_post_the_reasons(reviewing, erin, client):
    client.force_login(erin)
    page = client.get(change_url(reviewing)).content.decode()
    assert page.count('name="reasons" value="no-xmlhttprequest"') == 1  # request changes (the take-down is not offered)
    post_decision(client, reviewing, "request-changes", note="", reasons=["incomplete", "no-minified-code"])
    reviewing.refresh_from_db()
    assert reviewing.state == ReviewState.CHANGES_REQUESTED
    assert reviewing.events.get(transition="request_changes").reasons == ["no-minified-code", "incomplete"]


def test_the_take_down_form_offers_and_posts_the_reasons(public_approved, erin, client):
    client.force_login(erin)
    page = client.get(change_url(public_approved)).content.decode()
    assert 'name="reasons" value="no-external-data"' in page and 'value="too-slow"' not in page
    post_decision(client, public_approved, "take-down", reason="", reasons=["no-external-data"], scope="version")
    public_approved.refresh_from_db()
    assert public_approved.state == ReviewState.TAKEN_DOWN
