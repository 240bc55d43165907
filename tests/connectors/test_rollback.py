"""Roll back: an earlier approved version is the one in use again (issue 21, item 2)."""

import pytest
from django.test import Client
from django.urls import reverse

from connectors import selectors, services
from connectors.errors import InvalidSubmission
from connectors.models import ReviewState, Submission
from portal.errors import TransitionRefused
from tests.conftest import approve


def _reload(*submissions):
    return [Submission.objects.get(pk=s.pk) for s in submissions]


def _versions(import_connector, alice, *visibilities):
    connector = import_connector("sales-crm")
    versions = [approve(services.connector_submit(connector=connector, user=alice, visibility=v,
                                                  release_notes=f"Notes of version {n}."))
                for n, v in enumerate(visibilities, 1)]
    return _reload(*versions)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


# -- an engineer, on a public connector ---------------------------------------------------------

def test_an_engineer_rolls_back_to_the_earlier_public_version(import_connector, alice, erin, run):
    v1, v2 = _versions(import_connector, alice, "public", "public")
    assert selectors.data_center_list().get().pk == v2.pk
    rolled, sent = run(services.submission_roll_back_to, submission=v1, user=erin, reason="v2 drops every other row.")
    assert [v.pk for v in rolled] == [v2.pk]
    v1, v2 = _reload(v1, v2)
    assert (v1.state, v1.listed) == (ReviewState.APPROVED, True)
    assert (v2.state, v2.listed) == (ReviewState.ROLLED_BACK, False)
    assert selectors.data_center_list().get().pk == v1.pk
    # History on both sides, who and why.
    back = v2.events.last()
    assert (back.transition, back.actor, back.source, back.target) == ("roll_back", erin, "approved", "rolled_back")
    assert back.reason == "Version 1 is in use again: v2 drops every other row."
    restored = v1.events.last()
    assert (restored.transition, restored.actor, restored.reason) == ("rolled_back_to", erin, "v2 drops every other row.")
    assert restored.label == "Rolled back to this version: it is in use again"
    # One email to the developers, text and HTML.
    assert [m.to for m in sent] == [[alice.email]]
    assert sent[0].subject == "Example Sales CRM: v1 is in use again (rolled back)"
    html = sent[0].alternatives[0][0]
    for body in (sent[0].body, html):
        assert "a review engineer rolled back the newer version (version 2)" in body
        assert "v2 drops every other row." in body and "lists version 1 again" in body
        assert "Notes of version 1." in body


def test_the_public_page_of_the_rolled_back_version_leads_to_the_one_in_use(import_connector, alice, erin, bob):
    v1, v2 = _versions(import_connector, alice, "public", "public")
    services.submission_roll_back_to(submission=v1, user=erin, reason="Broken.")
    client = _client(bob)  # anyone signed in
    page = client.get(reverse("submissions:public_connector", args=[v2.pk]))
    assert page.status_code == 302 and page["Location"] == reverse("submissions:public_connector", args=[v1.pk])
    page = client.get(page["Location"]).content.decode()
    assert "version 1" in page
    # Its version history says which one is in use, with each version's notes.
    history = page[page.index('data-testid="version-history"'):]
    assert history.index('data-version="2"') < history.index('data-version="1"')
    assert "Rolled back" in history and "In use" in history and "Notes of version 2." in history


@pytest.mark.usefixtures("empty_cache")
def test_the_version_history_follows_a_take_down_of_an_older_version(import_connector, alice, erin, bob):
    # The cached card of v2 lists v1; v1's take-down does not move the listing, and still shows.
    v1, v2 = _versions(import_connector, alice, "public", "public")
    client = _client(bob)
    url = reverse("submissions:public_connector", args=[v2.pk])
    assert 'data-version="1"' in client.get(url).content.decode()
    services.submission_take_down(submission=v1, user=erin, reason="Malware.")
    assert 'data-version="1"' not in client.get(url).content.decode()


def test_rolling_back_past_two_versions_rolls_back_both(import_connector, alice, erin, run):
    v1, v2, v3 = _versions(import_connector, alice, "public", "public", "public")
    rolled, sent = run(services.submission_roll_back_to, submission=v1, user=erin, reason="Both are broken.")
    assert [v.number for v in rolled] == [2, 3]
    assert [v.state for v in _reload(v1, v2, v3)] == [ReviewState.APPROVED, ReviewState.ROLLED_BACK, ReviewState.ROLLED_BACK]
    assert len(sent) == 1 and "newer versions (version 3, version 2)" in sent[0].body


def test_a_roll_back_needs_a_reason_and_an_earlier_approved_version(import_connector, alice, erin):
    v1, v2 = _versions(import_connector, alice, "public", "public")
    with pytest.raises(InvalidSubmission, match="Say why"):
        services.submission_roll_back_to(submission=v1, user=erin, reason=" ")
    with pytest.raises(TransitionRefused, match="already the version in use"):
        services.submission_roll_back_to(submission=v2, user=erin, reason="Why not.")
    services.submission_take_down(submission=v1, user=erin, reason="Malware.")
    with pytest.raises(TransitionRefused, match="it is taken down by an engineer; only an approved version"):
        services.submission_roll_back_to(submission=v1, user=erin, reason="Back.")
    assert [v.state for v in _reload(v1, v2)] == [ReviewState.TAKEN_DOWN, ReviewState.APPROVED]


def test_re_listing_a_rolled_back_version_rolls_forward(import_connector, alice, erin):
    v1, v2 = _versions(import_connector, alice, "public", "public")
    services.submission_roll_back_to(submission=v1, user=erin, reason="Broken.")
    services.submission_relist(submission=v2, user=erin, reason="Fixed upstream: the API was down.")
    assert selectors.data_center_list().get().pk == v2.pk


def test_re_listing_a_taken_down_connector_keeps_its_roll_back(import_connector, alice, erin):
    v1, v2 = _versions(import_connector, alice, "public", "public")
    services.submission_roll_back_to(submission=v1, user=erin, reason="Broken.")
    services.connector_take_down(connector=v1.connector, user=erin, reason="Malware.")
    services.connector_relist(connector=v1.connector, user=erin, reason="False alarm.")
    assert [v.state for v in _reload(v1, v2)] == [ReviewState.APPROVED, ReviewState.ROLLED_BACK]
    assert selectors.data_center_list().get().pk == v1.pk


def test_a_take_down_of_the_version_in_use_first_leaves_nothing_to_roll_back_to(import_connector, alice, erin):
    # What the lock orders when they race (tests/connectors/test_listing_races.py): the roll
    # back that comes second sees the take-down and is refused, nothing moves.
    v1, v2 = _versions(import_connector, alice, "public", "public")
    services.connector_take_down(connector=v1.connector, user=erin, reason="Malware.")
    with pytest.raises(TransitionRefused, match="taken down"):
        services.submission_roll_back_to(submission=v1, user=erin, reason="Back.")
    assert [v.state for v in _reload(v1, v2)] == [ReviewState.TAKEN_DOWN, ReviewState.TAKEN_DOWN]
    assert not selectors.data_center_list().exists()


# -- the developers ---------------------------------------------------------------------------------

def test_a_developer_rolls_back_their_company_connector(import_connector, alice, run):
    v1, v2 = _versions(import_connector, alice, "company", "company")
    rolled, sent = run(services.submission_roll_back_to, submission=v1, user=alice, reason="v2 times out for us.")
    v1, v2 = _reload(v1, v2)
    assert (v1.state, v2.state) == (ReviewState.APPROVED, ReviewState.ROLLED_BACK)
    assert v2.events.last().actor == alice
    assert "alice rolled back the newer version (version 2)" in sent[0].body
    private_v1 = reverse("submissions:private", args=[v1.private_token])
    assert private_v1 in sent[0].body and private_v1 in sent[0].alternatives[0][0]
    # The private URL the company has for v2 leads to v1, the one in use.
    client = _client(alice)
    page = client.get(reverse("submissions:private", args=[v2.private_token]))
    assert page.status_code == 302 and page["Location"] == private_v1
    page = client.get(private_v1)
    assert page.status_code == 200 and "Version 2 was rolled back" in page.content.decode()
    status = client.get(reverse("review:status", args=[v2.pk])).content.decode()
    assert "Rolled back: version 1 is the one in use" in status


def _approved_by(submission, engineer):
    """Approved through the services by `engineer` (conftest.approve approves with no one)."""
    from review.models import Phase, PhaseStatus, ReviewPhase

    for phase in Phase.values:
        ReviewPhase.objects.update_or_create(submission=submission, phase=phase, defaults={"status": PhaseStatus.PASSED})
    services.submission_start_review(submission=submission)
    return services.submission_approve(submission=Submission.objects.get(pk=submission.pk), user=engineer)


def test_a_developers_roll_back_tells_the_engineer_who_approved_the_rolled_back_version(
        import_connector, alice, erin, django_user_model, run):
    fred = django_user_model.objects.create_user("fred", "fred@example.com", "pw", is_staff=True)
    fred.groups.set(erin.groups.all())
    connector = import_connector("sales-crm")
    v1 = approve(services.connector_submit(connector=connector, user=alice, visibility="company"))
    _approved_by(services.connector_submit(connector=connector, user=alice, visibility="company"), fred)
    _, sent = run(services.submission_roll_back_to, submission=v1, user=alice, reason="v2 times out for us.")
    # The developers as before; fred, who approved v2 (not erin, who approved nothing), on his own.
    assert sorted(m.to[0] for m in sent) == [alice.email, fred.email]
    to_fred = next(m for m in sent if m.to == [fred.email])
    admin_url = reverse("admin:connectors_submission_change", args=[v1.pk])
    for body in (to_fred.body, to_fred.alternatives[0][0].replace("<strong>", "").replace("</strong>", "")):
        assert "alice of Acme rolled back Example Sales CRM to version 1" in body
        assert "(version 2) is no longer in use" in body and "v2 times out for us." in body
        assert admin_url in body and "because you approved a version that was rolled back" in body
        assert "member of" not in body
    assert "because you are a member of" in next(m for m in sent if m.to == [alice.email]).body


def test_a_developers_roll_back_of_versions_nobody_approved_tells_every_engineer(import_connector, alice, erin, run):
    v1, v2 = _versions(import_connector, alice, "company", "company")  # both approved automatically, by no one
    _, sent = run(services.submission_roll_back_to, submission=v1, user=alice, reason="v2 times out for us.")
    assert sorted(m.to[0] for m in sent) == [alice.email, erin.email]
    to_erin = next(m for m in sent if m.to == [erin.email])
    assert "or because no engineer did" in to_erin.body and "or because no engineer did" in to_erin.alternatives[0][0]


def test_a_company_version_rolled_back_to_a_public_one_leads_to_its_data_center_page(import_connector, alice, erin):
    v1, v2 = _versions(import_connector, alice, "public", "company")
    services.submission_roll_back_to(submission=v1, user=erin, reason="Use the public one.")
    page = _client(alice).get(reverse("submissions:private", args=[v2.private_token]))
    assert page.status_code == 302 and page["Location"] == reverse("submissions:public_connector", args=[v1.pk])


def test_a_rolled_back_version_with_nothing_in_use_answers_410(import_connector, alice, erin):
    v1, v2 = _versions(import_connector, alice, "company", "company")
    services.submission_roll_back_to(submission=v1, user=erin, reason="Broken.")
    services.connector_take_down(connector=v1.connector, user=erin, reason="Malware.")
    page = _client(alice).get(reverse("submissions:private", args=[v2.private_token]))
    assert page.status_code == 410 and "This version was rolled back, and no earlier version" in page.content.decode()


def test_a_developer_may_not_roll_back_a_public_connector(import_connector, alice):
    v1, v2 = _versions(import_connector, alice, "public", "public")
    with pytest.raises(TransitionRefused, match="Only the review engineers can roll back"):
        services.submission_roll_back_to(submission=v1, user=alice, reason="Mine.")
    assert [v.state for v in _reload(v1, v2)] == [ReviewState.APPROVED, ReviewState.APPROVED]


def test_a_developer_may_not_roll_back_past_a_public_version(import_connector, alice):
    v1, v2 = _versions(import_connector, alice, "company", "public")
    with pytest.raises(TransitionRefused, match="You may not roll back version 2"):
        services.submission_roll_back_to(submission=v1, user=alice, reason="Mine.")
    assert [v.state for v in _reload(v1, v2)] == [ReviewState.APPROVED, ReviewState.APPROVED]


def test_a_developer_of_another_company_may_not_roll_back(import_connector, alice, bob):
    v1, v2 = _versions(import_connector, alice, "company", "company")
    with pytest.raises(TransitionRefused, match="You may not roll back to version 1"):
        services.submission_roll_back_to(submission=v1, user=bob, reason="Not mine.")
    assert [v.state for v in _reload(v1, v2)] == [ReviewState.APPROVED, ReviewState.APPROVED]


# -- the All versions page ---------------------------------------------------------------------------

def test_the_versions_page_offers_the_roll_back_on_company_versions_only(import_connector, alice):
    v1, v2 = _versions(import_connector, alice, "company", "company")
    page = _client(alice).get(reverse("submissions:list", args=[v1.connector_id])).content.decode()
    assert 'data-testid="roll-back-1"' in page and 'data-testid="roll-back-2"' not in page
    assert "Notes of version 2." in page


def test_the_versions_page_offers_no_roll_back_on_a_public_connector(import_connector, alice):
    v1, _v2 = _versions(import_connector, alice, "public", "public")
    page = _client(alice).get(reverse("submissions:list", args=[v1.connector_id])).content.decode()
    assert "roll-back-" not in page


def test_the_roll_back_button_posts_to_the_service_and_says_what_it_did(import_connector, alice, bob):
    v1, v2 = _versions(import_connector, alice, "company", "company")
    url = reverse("submissions:roll_back", args=[v1.pk])
    assert _client(bob).post(url, {"reason": "Not mine."}).status_code == 404
    client = _client(alice)
    page = client.post(url, {"reason": ""}, follow=True).content.decode()
    assert "Say why" in page and _reload(v2)[0].state == ReviewState.APPROVED
    page = client.post(url, {"reason": "Timeouts."}, follow=True).content.decode()
    assert "Version 1 of Example Sales CRM is in use again; version 2 rolled back." in page
    assert _reload(v2)[0].state == ReviewState.ROLLED_BACK
