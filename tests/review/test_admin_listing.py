"""The submission page's take-down and re-list buttons (issue 21, item 1): engineers only, each a service."""

from connectors import selectors
from connectors.models import ReviewState, Submission
from tests.review.admin_support import change_url
from tests.review.admin_support import post_decision as _post


def _state(submission):
    return Submission.objects.get(pk=submission.pk).state


def test_it_offers_take_down_on_an_approved_version_only(client, erin, public_approved, import_connector, alice):
    client.force_login(erin)
    html = client.get(change_url(public_approved)).content.decode()
    assert "Take down this version" in html and "Re-list this version" not in html


def test_it_takes_down_one_version_with_the_reason(client, erin, public_approved):
    client.force_login(erin)
    response = _post(client, public_approved, "take-down", scope="version", reason="Sends rows elsewhere.")
    assert "Took down" in response.content.decode()
    assert _state(public_approved) == ReviewState.TAKEN_DOWN
    assert public_approved.events.filter(transition="take_down", actor=erin, reason="Sends rows elsewhere.").exists()
    html = client.get(change_url(public_approved)).content.decode()
    assert "Re-list this version" in html and "Take down this version" not in html


def test_it_takes_down_the_whole_connector(client, erin, public_approved):
    client.force_login(erin)
    _post(client, public_approved, "take-down", scope="connector", reason="Malware.")
    assert _state(public_approved) == ReviewState.TAKEN_DOWN
    assert not selectors.data_center_list().exists()


def test_it_refuses_a_take_down_without_a_reason(client, erin, public_approved):
    client.force_login(erin)
    response = _post(client, public_approved, "take-down", scope="version", reason=" ")
    assert "needs a reason" in response.content.decode()
    assert _state(public_approved) == ReviewState.APPROVED


def test_it_relists(client, erin, public_approved):
    client.force_login(erin)
    _post(client, public_approved, "take-down", scope="version", reason="Broken.")
    response = _post(client, public_approved, "relist", scope="version", reason="Fixed upstream.")
    assert "Re-listed" in response.content.decode()
    assert _state(public_approved) == ReviewState.APPROVED
    assert selectors.data_center_list().filter(pk=public_approved.pk).exists()


def test_other_staff_and_developers_cannot_take_down(client, alice, public_approved, django_user_model):
    staff = django_user_model.objects.create_user("sam", "sam@example.com", "pw", is_staff=True)
    for user in (alice, staff):
        client.force_login(user)
        response = client.post(f"/admin/connectors/submission/{public_approved.pk}/take-down/",
                               {"scope": "connector", "reason": "No."})
        assert response.status_code in (302, 403)
        assert _state(public_approved) == ReviewState.APPROVED
