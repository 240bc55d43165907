"""Release notes, "What changed in this version" (issue 21, item 4): asked on every submission,
per version (never filled in from the one before), shown in the status window, the versions
page, the admin (tests/review/test_admin_rollback.py), the emails and the public page's version history."""

import pytest
from django.core import mail
from django.urls import reverse

from connectors import services
from connectors.errors import InvalidSubmission
from connectors.forms import SubmissionForm
from connectors.models import Submission
from tests.conftest import approve


def _form_html(client, connector):
    return client.get(reverse("connectors:submit", args=[connector.pk])).content.decode()


def test_the_form_asks_for_them_optional_on_the_first_version(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    html = _form_html(client, connector)
    assert "What changed in this version" in html and "Optional for the first version" in html
    response = client.post(reverse("connectors:submit_confirm", args=[connector.pk]), {"visibility": "public"})
    assert response.status_code == 302 and Submission.objects.get().release_notes == ""


def test_a_later_version_is_asked_what_changed_since_the_one_before_and_not_prefilled(client, alice, import_connector):
    connector = import_connector("sales-crm")
    services.submission_withdraw(
        submission=services.connector_submit(connector=connector, user=alice, visibility="company",
                                             instructions="user a / pw b", release_notes="First cut."),
        user=alice)
    form = SubmissionForm(connector=connector)
    # The instructions are filled in from version 1, the notes are not: they are per version.
    assert form.initial.get("instructions") == "user a / pw b" and "release_notes" not in form.initial
    assert "since version 1" in form.fields["release_notes"].help_text
    client.force_login(alice)
    html = _form_html(client, connector)
    assert "First cut." not in html and "Since version 1: …" in html
    client.post(reverse("connectors:submit_confirm", args=[connector.pk]),
                {"visibility": "company", "instructions": "user a / pw b", "release_notes": "  Pages through deals.\r\nAdds a report.  "})
    assert connector.submissions.get(number=2).release_notes == "Pages through deals.\nAdds a report."


def test_too_long_notes_are_refused_with_the_field_named(import_connector, alice):
    with pytest.raises(InvalidSubmission, match="What changed in this version is 5001 characters") as refused:
        services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="public",
                                  release_notes="x" * 5001)
    assert refused.value.field == "release_notes"


def test_the_status_window_and_the_versions_page_show_them(client, alice, import_connector):
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company",
                                           release_notes="Reads the deals report page by page.")
    client.force_login(alice)
    status = client.get(reverse("review:status", args=[submission.pk])).content.decode()
    assert 'data-testid="release-notes"' in status and "Reads the deals report page by page." in status
    assert "What changed in version 1" in status
    versions = client.get(reverse("submissions:list", args=[submission.connector_id])).content.decode()
    assert "Reads the deals report page by page." in versions


def test_the_status_window_shows_no_empty_box(client, alice, import_connector):
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")
    client.force_login(alice)
    assert 'data-testid="release-notes"' not in client.get(reverse("review:status", args=[submission.pk])).content.decode()


def test_the_submitted_and_approved_emails_carry_them(import_connector, alice):
    from review.pipeline.emails import send_event_email

    submission = approve(services.connector_submit(connector=import_connector("sales-crm"), user=alice,
                                                   visibility="public", release_notes="Pages <through> deals."))
    mail.outbox.clear()
    for name in ("submit", "approve"):
        assert send_event_email(submission.events.get(transition=name).pk)
    assert len(mail.outbox) == 2
    for sent in mail.outbox:
        assert "What changed in this version:\nPages <through> deals." in sent.body
        assert "Pages &lt;through&gt; deals." in sent.alternatives[0][0]


def test_the_public_page_lists_each_versions_notes(client, bob, alice, import_connector):
    connector = import_connector("sales-crm")
    approve(services.connector_submit(connector=connector, user=alice, visibility="public", release_notes="First cut."))
    # A company-only version is not the public page's business.
    approve(services.connector_submit(connector=connector, user=alice, visibility="company", release_notes="Ours only."))
    v3 = approve(services.connector_submit(connector=connector, user=alice, visibility="public"))
    client.force_login(bob)
    page = client.get(reverse("submissions:public_connector", args=[v3.pk])).content.decode()
    history = page[page.index('data-testid="version-history"'):]
    assert "First cut." in history and "No notes for this version." in history and "Ours only." not in history
