"""The submission page's roll back (issue 21, item 2) and release notes (item 4): engineers only, each a service."""

from connectors import selectors, services
from connectors.models import ReviewState, Submission
from tests.conftest import approve
from tests.review.admin_support import change_url, post_decision


def _two(import_connector, alice, visibility="public"):
    connector = import_connector("sales-crm")
    v1 = approve(services.connector_submit(connector=connector, user=alice, visibility=visibility))
    v2 = approve(services.connector_submit(connector=connector, user=alice, visibility=visibility,
                                           release_notes="Reads the deals report page by page."))
    return Submission.objects.get(pk=v1.pk), Submission.objects.get(pk=v2.pk)


def _post(client, submission, **data):
    return post_decision(client, submission, "roll-back", **data)


def test_it_offers_the_roll_back_on_an_earlier_approved_version_only(client, erin, import_connector, alice):
    v1, v2 = _two(import_connector, alice)
    client.force_login(erin)
    html = client.get(change_url(v1)).content.decode()
    assert "Roll back to version 1" in html and "version 2 is rolled back" in html
    assert "Roll back to version" not in client.get(change_url(v2)).content.decode()


def test_it_rolls_back_with_the_reason(client, erin, import_connector, alice):
    v1, v2 = _two(import_connector, alice)
    client.force_login(erin)
    response = _post(client, v1, reason="Version 2 drops rows.").content.decode()
    assert "Rolled back to Example Sales CRM v1: it is the version in use again." in response
    assert Submission.objects.get(pk=v2.pk).state == ReviewState.ROLLED_BACK
    assert selectors.data_center_list().get().pk == v1.pk
    assert v1.events.filter(transition="rolled_back_to", actor=erin, reason="Version 2 drops rows.").exists()
    # The history on the page says so; v1 offers no roll back any more, v2 offers a re-list (roll forward).
    assert "Rolled back to this version" in response and "Roll back to version" not in response
    assert "Re-list this version" in client.get(change_url(v2)).content.decode()


def test_it_refuses_a_roll_back_without_a_reason(client, erin, import_connector, alice):
    v1, v2 = _two(import_connector, alice)
    client.force_login(erin)
    assert "needs a reason" in _post(client, v1, reason=" ").content.decode()
    assert Submission.objects.get(pk=v2.pk).state == ReviewState.APPROVED


def test_a_developer_cannot_post_it(client, alice, import_connector):
    v1, v2 = _two(import_connector, alice, visibility="company")
    client.force_login(alice)
    # Not staff: the admin sends her to its sign-in page; the developers' own button is on All versions.
    assert client.post(f"/admin/connectors/submission/{v1.pk}/roll-back/", {"reason": "Mine."}).status_code == 302
    assert Submission.objects.get(pk=v2.pk).state == ReviewState.APPROVED


def test_the_page_shows_what_changed_in_the_version(client, erin, import_connector, alice):
    v1, v2 = _two(import_connector, alice)
    client.force_login(erin)
    assert "Reads the deals report page by page." in client.get(change_url(v2)).content.decode()
    assert "The developer did not say." in client.get(change_url(v1)).content.decode()
