"""Who may use the engineers' admin: review engineers and superusers; other staff get 403."""

import pytest

from connectors import services
from connectors.models import ReviewState, Submission
from review.models import InstructionsAccess
from tests.review.admin_support import change_url, reviewing, staff  # noqa: F401


def _get_urls(submission):
    return [
        "/admin/connectors/submission/",
        change_url(submission),
        "/admin/review/instructionsaccess/",
        f"/admin/connectors/connector/{submission.connector_id}/change/",
        "/admin/connectors/company/",
    ]


def _post_urls(submission):
    base = f"/admin/connectors/submission/{submission.pk}"
    return [
        f"{base}/instructions/",
        f"{base}/sign-off/security/",
        f"{base}/approve/",
        f"{base}/request-changes/",
    ]


def test_it_lets_a_review_engineer_in(client, erin, reviewing):
    client.force_login(erin)
    for url in _get_urls(reviewing):
        assert client.get(url).status_code == 200, url


def test_it_lets_a_superuser_in(client, django_user_model, reviewing):
    root = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(root)
    for url in _get_urls(reviewing):
        assert client.get(url).status_code == 200, url


def test_it_answers_403_to_staff_outside_the_group(client, staff, reviewing):
    client.force_login(staff)
    for url in _get_urls(reviewing):
        assert client.get(url).status_code == 403, url
    for url in _post_urls(reviewing):
        assert client.post(url, {"decision": "pass", "note": "x"}).status_code == 403, url
    reviewing.refresh_from_db()
    assert reviewing.state == ReviewState.IN_REVIEW
    assert not InstructionsAccess.objects.exists()
    # The admin index lists nothing for them.
    assert "Submissions" not in client.get("/admin/").content.decode()


def test_it_sends_a_developer_to_the_login(client, alice, reviewing):
    client.force_login(alice)
    for url in _get_urls(reviewing) + _post_urls(reviewing):
        response = client.post(url) if url in _post_urls(reviewing) else client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url


@pytest.mark.parametrize("action", ["add", "delete"])
def test_it_never_adds_or_deletes_submissions_by_hand(client, erin, reviewing, action):
    client.force_login(erin)
    url = "/admin/connectors/submission/add/" if action == "add" else f"/admin/connectors/submission/{reviewing.pk}/delete/"
    assert client.get(url).status_code == 403
    assert Submission.objects.filter(pk=reviewing.pk).exists()


def test_it_does_not_edit_states_through_the_form(client, erin, reviewing):
    client.force_login(erin)
    response = client.post(change_url(reviewing), {"state": "approved", "visibility": "public"})
    assert response.status_code == 403
    reviewing.refresh_from_db()
    assert (reviewing.state, reviewing.visibility) == (ReviewState.IN_REVIEW, "company")


def test_it_shows_no_secret_in_the_forms(client, erin, alice, import_connector):
    connector = import_connector("oauth2-tasks")
    services.connector_update(connector=connector, user=alice, oauth2_client_secret="client-secret-XYZ")
    submission = services.connector_submit(
        connector=connector, user=alice, visibility="public", instructions="tester / hunter2-password"
    )
    client.force_login(erin)
    pages = [
        client.get(change_url(submission)),
        client.get("/admin/connectors/submission/?queue=all"),
        client.get(f"/admin/connectors/connector/{connector.pk}/change/"),
        client.get("/admin/connectors/connector/"),
    ]
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        assert "hunter2-password" not in html and "client-secret-XYZ" not in html
    assert not InstructionsAccess.objects.exists()


def test_it_keeps_the_access_log_read_only_even_for_superusers(client, django_user_model, erin, reviewing):
    read = InstructionsAccess.objects.create(submission=reviewing, user=erin, username="erin")
    root = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(root)
    assert client.get("/admin/review/instructionsaccess/add/").status_code == 403
    assert client.post(f"/admin/review/instructionsaccess/{read.pk}/delete/", {"post": "yes"}).status_code == 403
    assert InstructionsAccess.objects.filter(pk=read.pk).exists()


def test_it_looks_up_the_engineer_group_once_per_request(client, erin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(erin)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/").status_code == 200
    group_lookups = [q for q in queries.captured_queries if "Review engineers" in q["sql"]]
    assert len(group_lookups) == 1, [q["sql"] for q in group_lookups]
