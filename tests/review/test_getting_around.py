"""Issue 20, item 11: getting around the developer's and the engineers' pages."""

import pytest
from django.urls import reverse

from connectors import services
from tests.review.admin_support import change_url, in_review

pytestmark = pytest.mark.usefixtures("empty_cache")


def test_after_withdraw_the_status_window_leads_to_the_editor(client, alice, import_connector):
    submission = in_review(import_connector("sales-crm"), alice)
    client.force_login(alice)
    response = client.post(reverse("submissions:withdraw", args=[submission.pk]), follow=True)
    body = response.content.decode()
    assert "was withdrawn" in body
    assert f'href="{reverse("connectors:edit", args=[submission.connector_id])}" data-testid="open-editor"' in body


def test_all_versions_keeps_the_tabs(client, alice, import_connector):
    submission = in_review(import_connector("sales-crm"), alice)
    client.force_login(alice)
    body = client.get(reverse("submissions:list", args=[submission.connector_id])).content.decode()
    tabs = body[body.index('data-testid="version-tabs"'):body.index("</ul>", body.index('data-testid="version-tabs"'))]
    assert f'href="{reverse("review:status", args=[submission.pk])}">Overview' in tabs
    assert f'href="{reverse("review:code", args=[submission.pk])}">View Code' in tabs
    assert 'class="nav-link active" aria-current="page" href="">All versions' in tabs


def test_the_admin_calls_the_queue_the_review_queue(client, erin):
    client.force_login(erin)
    body = client.get(reverse("admin:connectors_submission_changelist")).content.decode()
    assert "<h1>Review queue</h1>" in body and "Select submission to view" not in body


def test_the_jump_links_name_the_changes_and_land_below_the_actions_bar(client, erin, alice, import_connector):
    from tests.conftest import approve

    connector = import_connector("sales-crm")
    approve(services.connector_submit(connector=connector, user=alice, visibility="company"))
    submission = in_review(connector, alice)
    client.force_login(erin)
    body = client.get(change_url(submission)).content.decode()
    actions = body[body.index('id="actions"'):body.index("</summary>", body.index('id="actions"'))]
    assert '<a href="#changes">Changes since version 1</a>' in actions
    assert "js/review-admin.js" in body
