"""A submission's icons: who may fetch them, caching headers, and the zip read once."""

import pytest
from django.urls import reverse

from connectors import services
from connectors.models import ReviewState, Submission, Visibility
from tests.conftest import BUNDLES, approve

ICON = (BUNDLES / "sales-crm" / "icons" / "icon_with_background.png").read_bytes()
BANNER = (BUNDLES / "sales-crm" / "icons" / "logo_without_background.png").read_bytes()


pytestmark = pytest.mark.usefixtures("empty_cache")


@pytest.fixture
def submission(import_connector, alice):
    return services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")


def _url(submission, key="icon_with_background"):
    return reverse("submissions:icon", args=[submission.pk, key])


def test_it_is_at_a_png_url():
    assert reverse("submissions:icon", args=[7, "icon_with_background"]) == "/submissions/7/icons/icon_with_background.png"


def test_it_serves_the_snapshots_png_to_a_member(client, alice, submission):
    client.force_login(alice)
    response = client.get(_url(submission))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content == ICON
    assert client.get(_url(submission, "logo_without_background")).content == BANNER


def test_it_serves_the_snapshot_not_the_edited_draft(client, alice, submission):
    connector = submission.connector
    connector.files.filter(path="icons/icon_with_background.png").update(content=b"edited")
    client.force_login(alice)
    assert client.get(_url(submission)).content == ICON


def test_it_lets_the_browser_keep_it_privately_for_a_day(client, alice, submission):
    client.force_login(alice)
    response = client.get(_url(submission))
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache_control == {"private", "max-age=86400"}
    assert submission.content_hash in response["ETag"]


def test_it_answers_304_to_a_matching_etag(client, alice, submission):
    client.force_login(alice)
    etag = client.get(_url(submission))["ETag"]
    response = client.get(_url(submission), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag and "private" in response["Cache-Control"]


def test_it_gives_each_icon_its_own_etag(client, alice, submission):
    client.force_login(alice)
    assert client.get(_url(submission))["ETag"] != client.get(_url(submission, "logo_without_background"))["ETag"]


def test_it_hides_a_company_submission_from_another_company(client, bob, submission):
    client.force_login(bob)
    assert client.get(_url(submission)).status_code == 404


def test_it_hides_a_company_submission_from_an_engineer_outside_the_company(client, erin, submission):
    client.force_login(erin)
    assert client.get(_url(submission)).status_code == 404


def test_it_hides_an_approved_company_submission_from_another_company(client, bob, submission):
    approved = approve(submission)
    client.force_login(bob)
    assert client.get(_url(approved)).status_code == 404


def test_it_serves_an_approved_public_submission_to_anyone_signed_in(client, bob, erin, public_approved):
    for user in (bob, erin):
        client.force_login(user)
        response = client.get(_url(public_approved))
        assert response.status_code == 200 and response.content == ICON


def test_it_hides_a_public_submission_still_under_review_from_another_company(client, bob, import_connector, alice):
    pending = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="public")
    client.force_login(bob)
    assert client.get(_url(pending)).status_code == 404


def test_it_sends_anonymous_users_to_sign_in(client, public_approved):
    response = client.get(_url(public_approved))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("key", ["favicon", "..", "icon_with_background.png"])
def test_it_answers_404_to_a_key_that_is_not_an_icon(client, alice, submission, key):
    client.force_login(alice)
    assert client.get(f"/submissions/{submission.pk}/icons/{key}.png").status_code == 404


def test_it_answers_404_when_the_snapshot_has_no_such_icon(client, alice, acme):
    from connectors.models import Connector

    connector = Connector.objects.create(company=acme, name="Bare")
    bare = Submission.objects.create(
        connector=connector, number=1, bundle=b"", content_hash="bare", manifest={},
        visibility=Visibility.PUBLIC, state=ReviewState.APPROVED,
    )
    client.force_login(alice)
    assert client.get(_url(bare)).status_code == 404


def test_it_reads_the_zip_only_on_a_cache_miss(client, alice, submission, django_assert_num_queries):
    client.force_login(alice)
    client.get(reverse("submissions:data_center"))  # the session is warm
    # session, user, access check (pk and hash only), the zip
    with django_assert_num_queries(4) as miss:
        assert client.get(_url(submission)).status_code == 200
    assert sum('"bundle"' in q["sql"] for q in miss.captured_queries) == 1
    with django_assert_num_queries(3) as hit:
        assert client.get(_url(submission)).status_code == 200
    assert not any('"bundle"' in q["sql"] for q in hit.captured_queries)


def test_it_checks_access_without_loading_the_zip(client, bob, submission, django_assert_num_queries):
    client.force_login(bob)
    with django_assert_num_queries(3) as queries:
        assert client.get(_url(submission)).status_code == 404
    assert not any('"bundle"' in q["sql"] for q in queries.captured_queries)


def test_it_does_not_read_the_zip_again_for_a_missing_icon(client, alice, acme, django_assert_num_queries):
    from connectors.models import Connector

    connector = Connector.objects.create(company=acme, name="Bare")
    bare = Submission.objects.create(
        connector=connector, number=1, bundle=b"", content_hash="bare", manifest={}, visibility=Visibility.COMPANY,
    )
    client.force_login(alice)
    client.get(_url(bare))
    with django_assert_num_queries(3):  # session, user, access check
        assert client.get(_url(bare)).status_code == 404
