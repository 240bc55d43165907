"""After approval: take down (a version, the whole connector), unpublish, re-list (issue 21, item 1)."""

import pytest
from django.urls import reverse

from connectors import selectors, services
from connectors.errors import InvalidSubmission
from connectors.models import BetaState, ReviewState, Submission
from portal.errors import TransitionRefused
from tests.conftest import approve


def _reload(submission):
    return Submission.objects.get(pk=submission.pk)


def _listed_pks():
    return set(selectors.data_center_list().values_list("pk", flat=True))


@pytest.fixture
def two_versions(import_connector, alice):
    """sales-crm: v1 and v2 both approved and public (v2 listed)."""
    connector = import_connector("sales-crm")
    v1 = approve(services.connector_submit(connector=connector, user=alice, visibility="public"))
    v2 = approve(services.connector_submit(connector=connector, user=alice, visibility="public"))
    return _reload(v1), _reload(v2)


# -- take down -------------------------------------------------------------------------------

def test_an_engineer_takes_down_the_listed_version_with_a_reason(public_approved, erin, alice, run, client):
    assert public_approved.pk in _listed_pks()
    result, sent = run(services.submission_take_down, submission=public_approved, user=erin,
                       reason="It sends the rows to an undeclared host.")
    assert result.state == ReviewState.TAKEN_DOWN and not result.listed
    assert public_approved.pk not in _listed_pks()
    event = result.events.last()
    assert (event.transition, event.actor, event.reason) == ("take_down", erin, "It sends the rows to an undeclared host.")
    assert [m.to for m in sent] == [[alice.email]]
    assert "was taken down" in sent[0].subject
    assert "undeclared host" in sent[0].body and "undeclared host" in sent[0].alternatives[0][0]
    client.force_login(alice)
    page = client.get(reverse("submissions:public_connector", args=[public_approved.pk]))
    assert page.status_code == 410 and b"taken down by the review engineers" in page.content


def test_taking_down_the_newest_version_lists_the_approved_one_before_it(two_versions, erin):
    v1, v2 = two_versions
    assert _listed_pks() == {v2.pk}
    services.submission_take_down(submission=v2, user=erin, reason="Broken.")
    assert _listed_pks() == {v1.pk}


def test_a_take_down_needs_a_reason(public_approved, erin):
    with pytest.raises(InvalidSubmission):
        services.submission_take_down(submission=public_approved, user=erin, reason="  ")
    assert _reload(public_approved).state == ReviewState.APPROVED


def test_a_developer_may_not_take_down_even_their_own_version(public_approved, alice, bob):
    for user in (alice, bob):
        with pytest.raises(TransitionRefused, match="You may not"):
            services.submission_take_down(submission=public_approved, user=user, reason="Mine.")
    assert _reload(public_approved).state == ReviewState.APPROVED


def test_only_an_approved_version_can_be_taken_down(import_connector, alice, erin):
    submitted = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="public")
    with pytest.raises(TransitionRefused, match="its review is submitted"):
        services.submission_take_down(submission=submitted, user=erin, reason="Bad.")


def test_taking_down_the_connector_stops_everything_of_it(import_connector, alice, erin, run):
    connector = import_connector("sales-crm")
    v1 = approve(services.connector_submit(connector=connector, user=alice, visibility="company"))
    v2 = services.submission_self_publish(
        submission=services.connector_submit(connector=connector, user=alice, visibility="company"), user=alice)
    assert v2.beta_state == BetaState.ACTIVE
    taken, sent = run(services.connector_take_down, connector=connector, user=erin, reason="Malware.")
    assert [v.pk for v in taken] == [v1.pk]
    v1, v2 = _reload(v1), _reload(v2)
    assert v1.state == ReviewState.TAKEN_DOWN
    assert (v2.state, v2.beta_state) == (ReviewState.WITHDRAWN, BetaState.CLOSED)
    assert [e.transition for e in v2.events.filter(actor=erin)] == ["stop_review", "close"]
    assert {m.subject for m in sent} == {"Example Sales CRM v1 was taken down"}
    # The private URL and the beta answer 410 with a plain page.
    from django.test import Client

    client = Client()
    client.force_login(alice)
    assert client.get(reverse("submissions:private", args=[v1.private_token])).status_code == 410
    assert client.get(reverse("submissions:beta", args=[v2.beta_token])).status_code == 410


def test_a_connector_without_an_approved_version_cannot_be_taken_down(import_connector, alice, erin):
    connector = import_connector("sales-crm")
    services.connector_submit(connector=connector, user=alice, visibility="public")
    with pytest.raises(TransitionRefused, match="no approved version"):
        services.connector_take_down(connector=connector, user=erin, reason="Bad.")


def test_a_developer_may_not_take_down_the_connector(public_approved, alice):
    with pytest.raises(TransitionRefused, match="You may not"):
        services.connector_take_down(connector=public_approved.connector, user=alice, reason="Bad.")
    assert _reload(public_approved).state == ReviewState.APPROVED


# -- unpublish -------------------------------------------------------------------------------

def test_a_developer_unpublishes_their_connector(public_approved, alice, run):
    (result,), sent = run(services.connector_unpublish, connector=public_approved.connector, user=alice,
                          reason="We retired the API.")
    assert result.state == ReviewState.UNPUBLISHED
    assert public_approved.pk not in _listed_pks()
    event = result.events.last()
    assert (event.transition, event.actor, event.reason) == ("unpublish", alice, "We retired the API.")
    assert "unpublished by alice" in sent[0].body and "We retired the API." in sent[0].alternatives[0][0]


def test_unpublishing_withdraws_the_open_review_as_the_developer(import_connector, alice, erin):
    connector = import_connector("sales-crm")
    approve(services.connector_submit(connector=connector, user=alice, visibility="public"))
    open_one = services.connector_submit(connector=connector, user=alice, visibility="public")
    services.connector_unpublish(connector=connector, user=alice, reason="Retired.")
    assert _reload(open_one).events.last().transition == "withdraw"


def test_another_company_and_an_engineer_may_not_unpublish(public_approved, bob, erin):
    for user in (bob, erin):
        with pytest.raises(TransitionRefused, match="You may not"):
            services.connector_unpublish(connector=public_approved.connector, user=user, reason="Not mine.")
    assert _reload(public_approved).state == ReviewState.APPROVED


def test_unpublishing_needs_a_reason(public_approved, alice):
    with pytest.raises(InvalidSubmission):
        services.connector_unpublish(connector=public_approved.connector, user=alice, reason="")


# -- re-list ---------------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["take_down", "unpublish"])
def test_an_engineer_relists_what_was_taken_out(public_approved, alice, erin, run, how):
    if how == "take_down":
        services.submission_take_down(submission=public_approved, user=erin, reason="Broken.")
    else:
        services.connector_unpublish(connector=public_approved.connector, user=alice, reason="Oops.")
    result, sent = run(services.submission_relist, submission=_reload(public_approved), user=erin, reason="Fixed.")
    assert result.state == ReviewState.APPROVED and result.listed
    assert _listed_pks() == {public_approved.pk}
    event = result.events.last()
    assert (event.transition, event.actor, event.reason) == ("relist", erin, "Fixed.")
    assert "is published again" in sent[0].subject


def test_a_relisted_private_version_answers_at_its_url_again(import_connector, alice, erin, client):
    version = approve(services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company"))
    services.connector_take_down(connector=version.connector, user=erin, reason="Bad.")
    client.force_login(alice)
    url = reverse("submissions:private", args=[version.private_token])
    assert client.get(url).status_code == 410
    services.connector_relist(connector=version.connector, user=erin, reason="Fine after all.")
    assert client.get(url).status_code == 200


def test_a_developer_may_not_relist(public_approved, alice):
    services.connector_unpublish(connector=public_approved.connector, user=alice, reason="Oops.")
    with pytest.raises(TransitionRefused, match="You may not"):
        services.submission_relist(submission=_reload(public_approved), user=alice, reason="Back.")
    with pytest.raises(TransitionRefused, match="You may not"):
        services.connector_relist(connector=public_approved.connector, user=alice, reason="Back.")


def test_only_what_was_taken_out_can_be_relisted(public_approved, erin):
    with pytest.raises(TransitionRefused):
        services.submission_relist(submission=public_approved, user=erin, reason="Back.")
    with pytest.raises(TransitionRefused, match="no version taken down"):
        services.connector_relist(connector=public_approved.connector, user=erin, reason="Back.")


# -- the developer's page ----------------------------------------------------------------------

def test_the_versions_page_unpublishes(public_approved, alice, bob, client):
    url = reverse("submissions:unpublish", args=[public_approved.connector_id])
    client.force_login(bob)
    assert client.post(url, {"reason": "Not mine."}).status_code == 404
    client.force_login(alice)
    page = client.get(reverse("submissions:list", args=[public_approved.connector_id]))
    assert b'id="unpublish"' in page.content
    response = client.post(url, {"reason": "Retired."})
    assert response.status_code == 302
    assert _reload(public_approved).state == ReviewState.UNPUBLISHED
    page = client.get(reverse("submissions:list", args=[public_approved.connector_id]))
    assert b'id="unpublish"' not in page.content and b"Unpublished" in page.content


def test_the_api_shows_the_state(public_approved, erin, alice):
    from api.serializers import submission_json

    services.submission_take_down(submission=public_approved, user=erin, reason="Broken.")
    assert submission_json(_reload(public_approved))["state"] == "taken_down"
