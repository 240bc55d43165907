"""Every transition is allowed from its sources and refused from every other state."""

import pytest

from connectors import services
from connectors.errors import InvalidSubmission
from connectors.models import BetaState, ReviewState, Submission, SubmissionEvent, transition_names
from connectors.transitions import ENGINEER, TRANSITIONS
from portal.errors import TransitionRefused
from review.models import Phase, PhaseStatus, ReviewPhase


@pytest.fixture
def submission(import_connector, alice):
    connector = import_connector("sales-crm")
    return services.connector_submit(connector=connector, user=alice, visibility="company")


def _force(submission, **states):
    Submission.objects.filter(pk=submission.pk).update(**states)
    return Submission.objects.get(pk=submission.pk)


def _pass_all_phases(submission):
    for phase in Phase.values:
        ReviewPhase.objects.update_or_create(
            submission=submission, phase=phase, defaults={"status": PhaseStatus.PASSED}
        )


REVIEW_TRANSITIONS = {
    # name: (service call, allowed sources, target); u is someone the table lets make the move
    "start_review": (
        lambda s, u: services.submission_start_review(submission=s),
        {ReviewState.SUBMITTED},
        ReviewState.IN_REVIEW,
    ),
    "approve": (
        lambda s, u: services.submission_approve(submission=s, user=u),
        {ReviewState.IN_REVIEW},
        ReviewState.APPROVED,
    ),
    # The portal's own approval of a version whose code an engineer approved (review.carry_over).
    "auto_approve": (
        lambda s, u: services.submission_auto_approve(submission=s, reason="Code unchanged since version 1."),
        {ReviewState.IN_REVIEW},
        ReviewState.APPROVED,
    ),
    "request_changes": (
        lambda s, u: services.submission_request_changes(submission=s, user=u, note="Fix it."),
        {ReviewState.IN_REVIEW},
        ReviewState.CHANGES_REQUESTED,
    ),
    "fail_checks": (
        lambda s, u: services.submission_fail_checks(submission=s, summary="2 errors."),
        {ReviewState.IN_REVIEW},
        ReviewState.CHANGES_REQUESTED,
    ),
    "withdraw": (
        lambda s, u: services.submission_withdraw(submission=s, user=u),
        {ReviewState.SUBMITTED, ReviewState.IN_REVIEW},
        ReviewState.WITHDRAWN,
    ),
    "take_down": (
        lambda s, u: services.submission_take_down(submission=s, user=u, reason="Sends data to an unknown host."),
        {ReviewState.APPROVED},
        ReviewState.TAKEN_DOWN,
    ),
    "unpublish": (
        lambda s, u: _reloaded(s, services.connector_unpublish(connector=s.connector, user=u, reason="Retired.")),
        {ReviewState.APPROVED},
        ReviewState.UNPUBLISHED,
    ),
    "relist": (
        lambda s, u: services.submission_relist(submission=s, user=u, reason="Fixed upstream."),
        {ReviewState.TAKEN_DOWN, ReviewState.UNPUBLISHED, ReviewState.ROLLED_BACK},
        ReviewState.APPROVED,
    ),
    # Only a roll back to an earlier version makes it (tests/connectors/test_rollback.py); here the move alone.
    "roll_back": (
        lambda s, u: _moved(s, "roll_back", u),
        {ReviewState.APPROVED},
        ReviewState.ROLLED_BACK,
    ),
    # Only a reversed contest makes it (tests/review/test_contests.py); here the move alone.
    "reopen": (
        lambda s, u: services.submission_reopen(submission=s, user=u, reason="Contest reversed: fine as it is."),
        {ReviewState.CHANGES_REQUESTED},
        ReviewState.IN_REVIEW,
    ),
    # Only a take-down of the whole connector makes it (tests/connectors/test_listing.py); here the move alone.
    "stop_review": (
        lambda s, u: _moved(s, "stop_review", u),
        {ReviewState.SUBMITTED, ReviewState.IN_REVIEW},
        ReviewState.WITHDRAWN,
    ),
}


def _reloaded(submission, _result):
    return Submission.objects.get(pk=submission.pk)


def _moved(submission, name, user):
    from django.db import transaction

    from connectors.services.history import apply_transition, locked

    with transaction.atomic():
        submission = locked(submission.pk)
        apply_transition(submission, name, user, "The connector was taken down.")
    return submission

CASES = [
    (name, source, source in allowed)
    for name, (_call, allowed, _target) in REVIEW_TRANSITIONS.items()
    for source in ReviewState.values
]


@pytest.mark.parametrize("name,source,allowed", CASES)
def test_it_allows_review_transitions_only_from_their_sources(submission, alice, erin, name, source, allowed):
    call, _allowed, target = REVIEW_TRANSITIONS[name]
    user = erin if ENGINEER in TRANSITIONS[name].by else alice
    submission = _force(submission, state=source)
    _pass_all_phases(submission)
    if allowed:
        result = call(submission, user)
        assert result.state == target
        event = SubmissionEvent.objects.filter(submission=submission).last()
        assert (event.transition, event.source, event.target) == (name, source, target)
    else:
        with pytest.raises(TransitionRefused):
            call(submission, user)
        assert Submission.objects.get(pk=submission.pk).state == source


def test_it_has_one_table_entry_for_every_transition_of_the_model():
    assert set(transition_names()) == set(TRANSITIONS)
    assert set(REVIEW_TRANSITIONS) | set(BETA_TRANSITIONS) | {"submit"} == set(TRANSITIONS)


def test_it_reads_each_transitions_field_from_django_fsm(submission, alice):
    services.submission_self_publish(submission=submission, user=alice)
    event = submission.events.get(transition="self_publish")
    assert (event.field, event.source, event.target) == ("beta_state", BetaState.NONE, BetaState.ACTIVE)


@pytest.mark.parametrize(
    "name,call",
    [
        ("approve", lambda s, u: services.submission_approve(submission=s, user=u)),
        ("request_changes", lambda s, u: services.submission_request_changes(submission=s, user=u, note="Fix it.")),
    ],
)
def test_it_refuses_engineers_moves_to_a_developer(submission, alice, name, call):
    submission = _force(submission, state=ReviewState.IN_REVIEW)
    _pass_all_phases(submission)
    with pytest.raises(TransitionRefused, match="You may not"):
        call(submission, alice)
    assert Submission.objects.get(pk=submission.pk).state == ReviewState.IN_REVIEW


@pytest.mark.parametrize("who", ["alice", "erin"])
def test_only_the_portal_approves_automatically(submission, who, request):
    from django.db import transaction

    from connectors.services.history import apply_transition, locked

    submission = _force(submission, state=ReviewState.IN_REVIEW)
    with pytest.raises(TransitionRefused, match="You may not"), transaction.atomic():
        apply_transition(locked(submission.pk), "auto_approve", request.getfixturevalue(who), "")
    assert Submission.objects.get(pk=submission.pk).state == ReviewState.IN_REVIEW


def test_it_refuses_a_withdrawal_by_someone_outside_the_company(submission, bob, erin):
    for outsider in (bob, erin):
        with pytest.raises(TransitionRefused, match="You may not"):
            services.submission_withdraw(submission=submission, user=outsider)
    assert Submission.objects.get(pk=submission.pk).state == ReviewState.SUBMITTED


def test_it_refuses_a_change_request_without_a_note(submission, erin):
    submission = _force(submission, state=ReviewState.IN_REVIEW)
    with pytest.raises(InvalidSubmission, match="needs a note"):
        services.submission_request_changes(submission=submission, user=erin, note="  ")
    assert Submission.objects.get(pk=submission.pk).state == ReviewState.IN_REVIEW


def test_it_submits_only_from_draft(submission):
    assert submission.state == ReviewState.SUBMITTED
    assert submission.events.get().transition == "submit"
    for state in ReviewState.values:
        fresh = Submission(state=state)
        assert fresh.get_available_state_transitions  # the FSM is wired
        from django_fsm import can_proceed

        assert can_proceed(fresh.submit) is (state == ReviewState.DRAFT)


BETA_TRANSITIONS = {
    "self_publish": (
        lambda s, u: services.submission_self_publish(submission=s, user=u),
        {BetaState.NONE},
        BetaState.ACTIVE,
    ),
    "expire": (lambda s, u: services.submission_expire_beta(submission=s), {BetaState.ACTIVE}, BetaState.EXPIRED),
    "close": (
        lambda s, u: services.submission_close_beta(submission=s, user=u, reason="test"),
        {BetaState.ACTIVE},
        BetaState.CLOSED,
    ),
}

BETA_CASES = [
    (name, source, source in allowed)
    for name, (_call, allowed, _target) in BETA_TRANSITIONS.items()
    for source in BetaState.values
]


@pytest.mark.parametrize("name,source,allowed", BETA_CASES)
def test_it_allows_beta_transitions_only_from_their_sources(submission, alice, name, source, allowed):
    from datetime import timedelta

    from django.utils import timezone

    call, _allowed, target = BETA_TRANSITIONS[name]
    submission = _force(submission, beta_state=source, beta_expires_at=timezone.now() - timedelta(minutes=1))
    if allowed:
        assert call(submission, alice).beta_state == target
    else:
        with pytest.raises(TransitionRefused):
            call(submission, alice)
        assert Submission.objects.get(pk=submission.pk).beta_state == source


def test_it_refuses_to_expire_a_beta_before_its_expiry(submission, alice):
    submission = services.submission_self_publish(submission=submission, user=alice)
    with pytest.raises(TransitionRefused):
        services.submission_expire_beta(submission=submission)


def test_it_protects_states_from_direct_assignment(submission):
    with pytest.raises(AttributeError):
        submission.state = ReviewState.APPROVED


def test_it_closes_the_beta_when_withdrawn(submission, alice):
    services.submission_self_publish(submission=submission, user=alice)
    withdrawn = services.submission_withdraw(submission=submission, user=alice)
    assert (withdrawn.state, withdrawn.beta_state) == (ReviewState.WITHDRAWN, BetaState.CLOSED)
    assert [e.transition for e in withdrawn.events.all()] == ["submit", "self_publish", "withdraw", "close"]


def test_it_closes_the_beta_and_issues_a_private_url_when_approved(submission, alice, erin):
    services.submission_self_publish(submission=submission, user=alice)
    submission = _force(submission, state=ReviewState.IN_REVIEW)
    _pass_all_phases(submission)
    approved = services.submission_approve(submission=submission, user=erin)
    assert approved.beta_state == BetaState.CLOSED
    assert approved.private_token and len(approved.private_token) >= 22


def test_it_records_actor_and_reason(submission, alice):
    services.submission_withdraw(submission=submission, user=alice, reason="Found a bug.")
    event = submission.events.get(transition="withdraw")
    assert (event.actor, event.reason) == (alice, "Found a bug.")
