"""Who has a review (issue 21, item 6): assign, reassign, unassign, and the guard on the
engineers' actions (review.claims.act): another's review asks for a confirmation, a
review that changed since the page was drawn refuses the action."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from connectors.models import ReviewState, Submission
from portal.errors import TransitionRefused
from portal.permissions import REVIEW_ENGINEERS_GROUP
from review import claims
from review import services as review_services
from review.conversation import message_post
from review.models import Phase, PhaseStatus
from tests.review.admin_support import in_review


@pytest.fixture
def fred(db, django_user_model):
    """A second review engineer."""
    user = django_user_model.objects.create_user(
        "fred", "fred@example.com", "pw", is_staff=True, first_name="Fred", last_name="Reviewer"
    )
    user.groups.add(Group.objects.get_or_create(name=REVIEW_ENGINEERS_GROUP)[0])
    return user


@pytest.fixture
def reviewing(import_connector, alice):
    return in_review(import_connector("sales-crm"), alice)


@pytest.fixture
def passed(import_connector, alice):
    return in_review(import_connector("sales-crm"), alice, human=PhaseStatus.PASSED)


def _approve(submission, engineer):
    return lambda: review_services.submission_approve(submission=submission, engineer=engineer)


def _fresh(submission):
    return Submission.objects.get(pk=submission.pk)


def _token(submission):
    """The token of the page as it is now: what a page opened just before the action sends."""
    return claims.review_token(_fresh(submission))


# --- assigning ---------------------------------------------------------------------------


def test_an_engineer_assigns_a_review_to_themselves_with_a_history_row_and_no_email(
    reviewing, erin, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        claims.submission_assign(submission=reviewing, engineer=erin)
    assert _fresh(reviewing).assigned_to == erin
    event = reviewing.events.get(transition="assigned")
    assert (event.actor, event.reason, event.label, event.moved) == (erin, "Assigned to erin.", "Review assigned", False)
    assert mail.outbox == []


def test_an_engineer_hands_a_review_to_another_and_the_history_says_from_whom(reviewing, erin, fred):
    claims.submission_assign(submission=reviewing, engineer=erin)
    claims.submission_assign(submission=reviewing, engineer=erin, assignee=fred)
    assert _fresh(reviewing).assigned_to == fred
    assert reviewing.events.filter(transition="assigned").last().reason == "Assigned to Fred Reviewer (was erin)."


def test_assigning_it_to_whoever_has_it_already_is_refused(reviewing, erin):
    claims.submission_assign(submission=reviewing, engineer=erin)
    with pytest.raises(claims.ClaimRefused, match="already"):
        claims.submission_assign(submission=reviewing, engineer=erin)
    assert reviewing.events.filter(transition="assigned").count() == 1


def test_a_developer_can_neither_take_a_review_nor_be_given_one(reviewing, erin, alice):
    with pytest.raises(claims.ClaimRefused, match="Only review engineers"):
        claims.submission_assign(submission=reviewing, engineer=alice)
    with pytest.raises(claims.ClaimRefused, match="not a review engineer"):
        claims.submission_assign(submission=reviewing, engineer=erin, assignee=alice)
    with pytest.raises(claims.ClaimRefused, match="Only review engineers"):
        claims.submission_unassign(submission=reviewing, engineer=alice)
    assert _fresh(reviewing).assigned_to is None and not reviewing.events.filter(transition="assigned").exists()


def test_unassigning_puts_it_back_among_the_unassigned(reviewing, erin, fred):
    claims.submission_assign(submission=reviewing, engineer=fred)
    claims.submission_unassign(submission=reviewing, engineer=erin)
    assert _fresh(reviewing).assigned_to is None
    event = reviewing.events.get(transition="unassigned")
    assert (event.actor, event.reason) == (erin, "Was assigned to Fred Reviewer.")
    with pytest.raises(claims.ClaimRefused, match="not assigned"):
        claims.submission_unassign(submission=reviewing, engineer=erin)


# --- acting on another's review ------------------------------------------------------------


def test_acting_on_a_review_another_engineer_has_asks_to_confirm_and_does_nothing(passed, erin, fred):
    claims.submission_assign(submission=passed, engineer=fred)
    with pytest.raises(claims.ConfirmationNeeded, match="assigned to Fred Reviewer") as asked:
        claims.act(submission=passed, engineer=erin, action=_approve(passed, erin), token=_token(passed), confirmed_for=None)
    assert asked.value.assignee == fred
    assert _fresh(passed).state == ReviewState.IN_REVIEW


def test_a_confirmation_naming_the_assignee_lets_the_action_through(passed, erin, fred):
    claims.submission_assign(submission=passed, engineer=fred)
    claims.act(submission=passed, engineer=erin, action=_approve(passed, erin), token=_token(passed), confirmed_for=str(fred.pk))
    assert _fresh(passed).state == ReviewState.APPROVED


def test_a_confirmation_for_someone_who_no_longer_has_it_asks_again(passed, erin, fred, django_user_model):
    claims.submission_assign(submission=passed, engineer=fred)
    gina = django_user_model.objects.create_superuser("gina", "gina@example.com", "pw")
    claims.submission_assign(submission=passed, engineer=fred, assignee=gina)  # handed over meanwhile
    with pytest.raises(claims.ConfirmationNeeded, match="gina"):
        claims.act(submission=passed, engineer=erin, action=_approve(passed, erin), token=_token(passed), confirmed_for=str(fred.pk))
    assert _fresh(passed).state == ReviewState.IN_REVIEW


def test_ones_own_review_and_an_unassigned_one_need_no_confirmation(passed, reviewing, erin):
    claims.act(
        submission=reviewing,
        engineer=erin,
        token=_token(reviewing),
        confirmed_for=None,
        action=lambda: review_services.phase_sign_off(submission=reviewing, phase=Phase.SECURITY, engineer=erin, passed=True),
    )
    claims.submission_assign(submission=passed, engineer=erin)
    claims.act(submission=passed, engineer=erin, action=_approve(passed, erin), token=_token(passed), confirmed_for=None)
    assert _fresh(passed).state == ReviewState.APPROVED


# --- the review token: no stale decisions ------------------------------------------------------


def test_an_action_from_a_page_drawn_before_another_engineers_sign_off_is_refused(reviewing, erin, fred):
    token = claims.review_token(_fresh(reviewing))  # erin opens the page
    review_services.phase_sign_off(submission=reviewing, phase=Phase.SECURITY, engineer=fred, passed=True)
    with pytest.raises(claims.StaleReview, match="changed since you opened its page"):
        claims.act(
            submission=reviewing,
            engineer=erin,
            token=token,
            confirmed_for=None,
            action=lambda: review_services.phase_sign_off(
                submission=reviewing, phase=Phase.CODE_REVIEW, engineer=erin, passed=True
            ),
        )
    assert _fresh(reviewing).phases.get(phase=Phase.CODE_REVIEW).status == PhaseStatus.NEEDS_REVIEW


def test_the_developers_answer_makes_an_open_page_stale(passed, erin, alice):
    message_post(submission=passed, user=erin, body="Which account?")
    token = claims.review_token(_fresh(passed))
    message_post(submission=passed, user=alice, body="demo / demo")
    with pytest.raises(claims.StaleReview):
        claims.act(submission=passed, engineer=erin, action=_approve(passed, erin), token=token, confirmed_for=None)
    assert _fresh(passed).state == ReviewState.IN_REVIEW


def test_the_token_of_the_page_as_it_is_lets_the_action_through(passed, erin):
    token = claims.review_token(_fresh(passed))
    claims.act(submission=passed, engineer=erin, action=_approve(passed, erin), token=token, confirmed_for=None)
    assert _fresh(passed).state == ReviewState.APPROVED


def test_who_has_the_review_is_not_part_of_its_token(passed, erin, fred):
    token = claims.review_token(_fresh(passed))
    claims.submission_assign(submission=passed, engineer=fred)
    claims.submission_unassign(submission=passed, engineer=fred)
    assert claims.review_token(_fresh(passed)) == token


def test_a_second_approval_from_the_same_page_is_refused_as_stale(passed, erin, fred):
    token = claims.review_token(_fresh(passed))  # both engineers opened the page
    claims.act(submission=passed, engineer=erin, action=_approve(passed, erin), token=token, confirmed_for=None)
    with pytest.raises(claims.StaleReview, match="approved now"):
        claims.act(submission=passed, engineer=fred, action=_approve(passed, fred), token=token, confirmed_for=None)
    assert passed.events.filter(transition="approve").count() == 1


def test_a_decision_without_a_token_is_refused_and_does_nothing(passed, erin):
    # A post that does not say which review its page showed cannot be told from a stale one.
    with pytest.raises(claims.StaleReview, match="This page is out of date or incomplete; reload it") as refused:
        claims.act(submission=passed, engineer=erin, action=_approve(passed, erin), token=None, confirmed_for=None)
    assert "it is in review now" in refused.value.message
    with pytest.raises(claims.StaleReview, match="out of date or incomplete"):
        claims.act(submission=passed, engineer=erin, action=_approve(passed, erin), token="", confirmed_for=None)
    assert _fresh(passed).state == ReviewState.IN_REVIEW and not passed.events.filter(transition="approve").exists()


def test_unchecked_the_transition_itself_still_refuses_a_second_approval(passed, erin, fred):
    # What an action that decides nothing (check_token=False) relies on.
    claims.act(submission=passed, engineer=erin, action=_approve(passed, erin), token=None, confirmed_for=None,
               check_token=False)
    with pytest.raises(TransitionRefused):
        claims.act(submission=passed, engineer=fred, action=_approve(passed, fred), token=None, confirmed_for=None,
                   check_token=False)
    assert passed.events.filter(transition="approve").count() == 1
