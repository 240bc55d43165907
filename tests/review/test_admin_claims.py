"""Who has a review, in the admin (issue 21, item 6): the queue's column, filter and actions,
the submission page's Assign to me / Reassign / Unassign, the confirmation page before acting
on another engineer's review, and the refusal of an action from a page that is out of date."""

import re

import pytest
from django.contrib.auth.models import Group

from connectors.models import ReviewState, Submission
from portal.permissions import REVIEW_ENGINEERS_GROUP
from review import claims
from review import services as review_services
from review.models import Finding, Phase, PhaseStatus, Waiver
from tests.review.admin_support import change_url, in_review, staff  # noqa: F401

QUEUE = "/admin/connectors/submission/"


@pytest.fixture
def fred(db, django_user_model):
    user = django_user_model.objects.create_user(
        "fred", "fred@example.com", "pw", is_staff=True, first_name="Fred", last_name="Reviewer"
    )
    user.groups.add(Group.objects.get_or_create(name=REVIEW_ENGINEERS_GROUP)[0])
    return user


def _named(import_connector, alice, name, **kwargs):
    connector = import_connector("sales-crm")
    connector.name = name
    connector.save()
    return in_review(connector, alice, **kwargs)


@pytest.fixture
def three(import_connector, alice, erin, fred):
    """Erin's, Fred's and nobody's review."""
    mine = _named(import_connector, alice, "Mine")
    his = _named(import_connector, alice, "His")
    free = _named(import_connector, alice, "Free")
    claims.submission_assign(submission=mine, engineer=erin)
    claims.submission_assign(submission=his, engineer=fred)
    return mine, his, free


def _queue_rows(client, query=""):
    html = client.get(QUEUE + query).content.decode()
    return re.findall(r'<th class="field-submission"><a [^>]*>([^<]+)</a>', html), html


def _post(client, submission, action, **data):
    return client.post(f"/admin/connectors/submission/{submission.pk}/{action}/", data, follow=True)


def _fresh(submission):
    return Submission.objects.get(pk=submission.pk)


def _token(client, submission):
    return re.search(r'name="review_token" value="([0-9a-f]+)"', client.get(change_url(submission)).content.decode())[1]


# --- the queue -----------------------------------------------------------------------------------


def test_the_queue_shows_who_has_each_submission(client, erin, three):
    client.force_login(erin)
    _, html = _queue_rows(client)
    assert "<th" in html and ">assigned to<" in html.replace("Assigned to", "assigned to")
    cells = dict(re.findall(r'field-submission"><a [^>]*>([^<]+)</a></th>.*?<td class="field-assignee">([^<]*)</td>', html))
    assert cells == {"Mine v1": "erin", "His v1": "Fred Reviewer", "Free v1": "-"}


@pytest.mark.parametrize(
    ("choice", "shown"),
    [("me", ["Mine v1"]), ("none", ["Free v1"]), ("others", ["His v1"]), ("", ["Free v1", "His v1", "Mine v1"])],
)
def test_the_queue_filters_mine_unassigned_and_others(client, erin, three, choice, shown):
    client.force_login(erin)
    rows, html = _queue_rows(client, f"?assigned={choice}" if choice else "")
    assert sorted(rows) == shown
    assert "Assigned to me" in html and "Unassigned" in html


def test_the_queue_action_assigns_the_selected_to_me_but_leaves_a_colleagues_alone(client, erin, fred, three):
    mine, his, free = three
    client.force_login(erin)
    response = client.post(QUEUE, {"action": "assign_to_me", "_selected_action": [his.pk, free.pk], "index": 0}, follow=True)
    assert _fresh(free).assigned_to == erin
    assert _fresh(his).assigned_to == fred
    html = response.content.decode()
    assert "Assigned to you: Free v1." in html and "reassign it from its page" in html


def test_the_queue_action_unassigns_the_selected(client, erin, three):
    mine, his, _free = three
    client.force_login(erin)
    client.post(QUEUE, {"action": "unassign", "_selected_action": [mine.pk, his.pk], "index": 0})
    assert _fresh(mine).assigned_to is None and _fresh(his).assigned_to is None
    assert his.events.filter(transition="unassigned", actor=erin).exists()


# --- the submission page ------------------------------------------------------------------------------


def test_the_page_offers_assign_to_me_and_records_it(client, erin, import_connector, alice):
    submission = _named(import_connector, alice, "Free")
    client.force_login(erin)
    html = client.get(change_url(submission)).content.decode()
    assert "Assigned to:</strong>" in html and ">nobody<" in html and "Assign to me" in html
    html = _post(client, submission, "assign").content.decode()
    assert _fresh(submission).assigned_to == erin
    assert "Free v1 is assigned to erin." in html and ">you<" in html and "Unassign" in html
    assert "Review assigned" in html  # the history


def test_the_page_reassigns_to_another_engineer_and_unassigns(client, erin, fred, import_connector, alice):
    submission = _named(import_connector, alice, "Free")
    client.force_login(erin)
    html = client.get(change_url(submission)).content.decode()
    assert f'<option value="{fred.pk}">Fred Reviewer</option>' in html
    _post(client, submission, "assign", assignee=fred.pk)
    assert _fresh(submission).assigned_to == fred
    # Now it is fred's: letting it go, or taking it, is confirmed first.
    assert "You are about to unassign it." in _post(client, submission, "unassign").content.decode()
    assert _fresh(submission).assigned_to == fred
    _post(client, submission, "unassign", confirm_assignee=fred.pk)
    assert _fresh(submission).assigned_to is None


def test_taking_over_a_colleagues_review_is_confirmed(client, erin, fred, import_connector, alice):
    submission = _named(import_connector, alice, "His")
    claims.submission_assign(submission=submission, engineer=fred)
    client.force_login(erin)
    html = _post(client, submission, "assign").content.decode()
    assert "You are about to take it over." in html and _fresh(submission).assigned_to == fred
    html = _post(client, submission, "assign", confirm_assignee=fred.pk).content.decode()
    assert _fresh(submission).assigned_to == erin and "His v1 is assigned to erin." in html


def test_the_page_refuses_to_assign_to_someone_who_is_not_an_engineer(client, erin, alice, import_connector):
    submission = _named(import_connector, alice, "Free")
    client.force_login(erin)
    html = _post(client, submission, "assign", assignee=alice.pk).content.decode()
    assert "Choose one of the review engineers" in html
    assert _fresh(submission).assigned_to is None


def test_staff_outside_the_group_cannot_assign(client, staff, erin, import_connector, alice):
    submission = _named(import_connector, alice, "Free")
    client.force_login(staff)
    assert client.post(f"/admin/connectors/submission/{submission.pk}/assign/").status_code == 403
    assert _fresh(submission).assigned_to is None


def test_every_decision_form_carries_the_review_token(client, erin, import_connector, alice):
    submission = _named(import_connector, alice, "Free")
    client.force_login(erin)
    html = client.get(change_url(submission)).content.decode()
    token = claims.review_token(_fresh(submission))
    forms = re.findall(r"<form [^>]*action=\"[^\"]*/(sign-off/\w+|request-changes|waive/\d+)/\"[^>]*>(.*?)</form>", html, re.S)
    assert {action.split("/")[0] for action, _ in forms} == {"sign-off", "request-changes", "waive"}
    assert all(f'name="review_token" value="{token}"' in body for _, body in forms)


# --- acting on another's review: the confirmation page ----------------------------------------------


def test_approving_a_colleagues_review_shows_a_confirmation_page_first(client, erin, fred, import_connector, alice):
    submission = _named(import_connector, alice, "His", human=PhaseStatus.PASSED)
    claims.submission_assign(submission=submission, engineer=fred)
    client.force_login(erin)
    token = _token(client, submission)
    response = _post(client, submission, "approve", note="Fine by me.", review_token=token)
    html = response.content.decode()
    assert response.status_code == 200 and "His v1 is assigned to Fred Reviewer. Act on it anyway?" in html
    assert _fresh(submission).state == ReviewState.IN_REVIEW  # nothing done yet
    # A plain form (no script): the same fields again, and the engineer it confirms for.
    assert '<input type="hidden" name="note" value="Fine by me.">' in html
    assert f'<input type="hidden" name="review_token" value="{token}">' in html
    assert f'<input type="hidden" name="confirm_assignee" value="{fred.pk}">' in html
    html = _post(client, submission, "approve", note="Fine by me.", review_token=token, confirm_assignee=fred.pk).content.decode()
    assert _fresh(submission).state == ReviewState.APPROVED and "Approved His v1." in html
    assert submission.events.get(transition="approve").reason == "Fine by me."


@pytest.mark.parametrize("action", ["sign-off/security", "request-changes", "ask", "waive"])
def test_every_action_on_a_colleagues_review_asks_first(client, erin, fred, import_connector, alice, action):
    submission = _named(import_connector, alice, "His")
    claims.submission_assign(submission=submission, engineer=fred)
    client.force_login(erin)
    if action == "waive":
        action = f"waive/{Finding.objects.filter(submission=submission).first().pk}"
    events = submission.events.count()
    response = _post(client, submission, action, review_token=_token(client, submission),
                     decision="pass", note="Fix the host.", reason="Not used.", body="Which account?")
    assert "Act on it anyway?" in response.content.decode()
    assert submission.events.count() == events and not Waiver.objects.exists()
    assert _fresh(submission).phases.get(phase=Phase.SECURITY).status == PhaseStatus.NEEDS_REVIEW


def test_ones_own_review_is_acted_on_at_once(client, erin, import_connector, alice):
    submission = _named(import_connector, alice, "Mine")
    claims.submission_assign(submission=submission, engineer=erin)
    client.force_login(erin)
    html = _post(client, submission, "sign-off/security", decision="pass", review_token=_token(client, submission))
    assert "Security test passed" in html.content.decode()


# --- a page out of date -----------------------------------------------------------------------


def test_an_approval_from_a_page_opened_before_a_change_is_refused_and_keeps_the_note(
    client, erin, fred, import_connector, alice
):
    submission = _named(import_connector, alice, "Free")
    review_services.phase_sign_off(submission=submission, phase=Phase.SECURITY, engineer=fred, passed=True)
    client.force_login(erin)
    token = _token(client, submission)  # erin's page: code review still to do
    review_services.phase_sign_off(
        submission=submission, phase=Phase.CODE_REVIEW, engineer=fred, passed=False, note="Uses XHR."
    )  # fred sends it back meanwhile
    html = _post(client, submission, "request-changes", note="Please declare the host.", review_token=token).content.decode()
    assert "changed since you opened its page" in html and "changes requested now" in html
    assert "What you wrote, not sent: “Please declare the host.”" in html
    assert submission.events.filter(transition="request_changes").count() == 1


def test_any_refused_action_gives_back_what_was_typed(client, erin, import_connector, alice):
    # Not only a stale page: a question refused for its length comes back to be shortened.
    submission = _named(import_connector, alice, "Free")
    client.force_login(erin)
    question = "Which host answers the token? " + "x" * 5000
    html = _post(client, submission, "ask", body=question, review_token=_token(client, submission)).content.decode()
    assert "keep it to 5,000 or fewer" in html
    assert f"What you wrote, not sent: “{question.strip()}”" in html
    assert not submission.messages.exists()


def test_a_waiver_from_a_page_out_of_date_is_refused(client, erin, fred, import_connector, alice):
    submission = _named(import_connector, alice, "Free")
    client.force_login(erin)
    token = _token(client, submission)
    review_services.phase_sign_off(submission=submission, phase=Phase.SECURITY, engineer=fred, passed=True)
    finding = Finding.objects.filter(submission=submission).first()
    html = _post(client, submission, f"waive/{finding.pk}", reason="Not used.", review_token=token).content.decode()
    assert "changed since you opened its page" in html and not Waiver.objects.exists()


# --- every decision carries the token; a post without it is refused ----------------------------------

# The submission page's actions that decide (review.claims.act with check_token): the review's, the
# waivers', the contest's answer and the listing's. Assigning and asking decide nothing.
DECISIONS = ("sign-off", "approve", "request-changes", "waive", "revoke-waiver", "answer-contest", "take-down",
             "relist", "roll-back")


@pytest.fixture
def pages(import_connector, alice, erin):
    """A submission for each decision the page offers, and what its form posts."""
    from connectors import services as connector_services
    from review.contests import contest_open
    from review.waivers import waiver_grant
    from tests.conftest import approve

    reviewing = _named(import_connector, alice, "Free")
    waived = _named(import_connector, alice, "Waived")
    waiver = waiver_grant(finding=Finding.objects.get(submission=waived), engineer=erin, reason="SDK comment.")
    passed = _named(import_connector, alice, "Passed", human=PhaseStatus.PASSED)
    contested = connector_services.submission_request_changes(
        submission=_named(import_connector, alice, "Contested"), user=erin, note="Use the v2 endpoint.")
    contest_open(submission=contested, user=alice, body="It is the v2 endpoint.")
    connector = import_connector("sales-crm")
    v1, _, v3 = (approve(connector_services.connector_submit(connector=connector, user=alice, visibility="company"))
                  for _ in range(3))
    connector_services.submission_take_down(submission=v3, user=erin, reason="Broken.")
    listed = approve(connector_services.connector_submit(connector=import_connector("xml-api"), user=alice,
                                                         visibility="public"))
    finding = Finding.objects.get(submission=reviewing)
    return [
        (reviewing, "sign-off/security", {"decision": "pass", "note": "Reads no cookies."}),
        (reviewing, "request-changes", {"note": "Declare the host."}),
        (reviewing, f"waive/{finding.pk}", {"reason": "Only in a comment."}),
        (waived, f"revoke-waiver/{waiver.pk}", {}),
        (passed, "approve", {"note": "Fine by me."}),
        (contested, "answer-contest", {"outcome": "reversed", "body": "You are right."}),
        (v1, "roll-back", {"reason": "Version 2 drops rows."}),
        (listed, "take-down", {"scope": "version", "reason": "Sends rows elsewhere."}),
        (v3, "relist", {"scope": "version", "reason": "Fixed upstream."}),
    ]


def test_every_form_that_posts_a_decision_carries_the_pages_token(client, erin, pages):
    client.force_login(erin)
    seen = set()
    for submission, _, _ in pages:
        html = client.get(change_url(submission)).content.decode()
        token = claims.review_token(_fresh(submission))
        forms = re.findall(r'<form [^>]*action="/admin/connectors/submission/\d+/([\w-]+)[^"]*"[^>]*>(.*?)</form>', html, re.S)
        for action, body in forms:
            if action in DECISIONS:
                seen.add(action)
                assert f'<input type="hidden" name="review_token" value="{token}">' in body, (submission, action)
    assert seen == set(DECISIONS)


def test_a_decision_posted_without_the_token_is_refused_and_keeps_what_was_typed(client, erin, pages):
    client.force_login(erin)
    for submission, action, data in pages:
        before = (_fresh(submission).state, submission.events.count(), Waiver.objects.filter(revoked_at=None).count())
        html = _post(client, submission, action, **data).content.decode()
        assert "This page is out of date or incomplete; reload it." in html, action
        typed = [data[name] for name in ("note", "reason", "body") if name in data]
        if typed:
            assert f"What you wrote, not sent: “{' / '.join(typed)}”" in html, action
        after = (_fresh(submission).state, submission.events.count(), Waiver.objects.filter(revoked_at=None).count())
        assert after == before, action


def test_the_same_decisions_with_the_token_go_through(client, erin, pages):
    client.force_login(erin)
    for submission, action, data in pages:
        events = submission.events.count()
        html = _post(client, submission, action, review_token=_token(client, submission), **data).content.decode()
        assert "out of date" not in html and "errornote" not in html, action
        assert submission.events.count() > events or action.startswith("revoke-waiver"), action
