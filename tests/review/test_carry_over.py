"""Carry over what did not change (issue 21, item 3): a version whose code is the newest
approved version's keeps the engineers' sign-offs and is approved once the machine's
phases pass again; anything else in the code, or the setting off, resets them."""

import copy

import pytest
from django.core import mail
from django.urls import reverse

from connectors import services
from connectors.code_identity import code_changes, code_of
from connectors.models import Connector, ReviewState, Submission
from review import services as review_services
from review.models import Phase, PhaseStatus
from review.pages.summary import review_summary
from review.pipeline.emails import send_event_email

pytestmark = pytest.mark.django_db


def _reviewed(connector, user, visibility="company", **changes) -> Submission:
    """Change the draft (columns only), submit it and run the machine's part of its review."""
    if changes:
        Connector.objects.filter(pk=connector.pk).update(**changes)
    submission = services.connector_submit(connector=Connector.objects.get(pk=connector.pk), user=user,
                                           visibility=visibility)
    review_services.review_submission_now(submission.pk)
    return Submission.objects.get(pk=submission.pk)


def _approved_by(engineer, submission) -> Submission:
    for phase in (Phase.SECURITY, Phase.CODE_REVIEW):
        review_services.phase_sign_off(submission=submission, phase=phase, engineer=engineer, passed=True, note="Fine.")
    return review_services.submission_approve(submission=submission, engineer=engineer)


@pytest.fixture
def connector(import_connector):
    return import_connector("sales-crm")


@pytest.fixture
def first(connector, alice, erin):
    return _approved_by(erin, _reviewed(connector, alice))


def _statuses(submission):
    return dict(submission.phases.values_list("phase", "status"))


def test_the_same_code_keeps_the_sign_offs_and_is_approved_without_an_engineer(connector, first, alice, erin):
    second = _reviewed(connector, alice, description="Now with a better description.")

    assert second.state == ReviewState.APPROVED
    assert set(_statuses(second).values()) == {PhaseStatus.PASSED}
    security = second.phases.get(phase=Phase.SECURITY)
    assert security.engineer == erin
    assert security.details["carried_over"]["from_number"] == 1
    assert [e.transition for e in second.events.all()] == ["submit", "start_review", "sign_offs_carried_over",
                                                           "auto_approve"]
    approval = second.events.get(transition="auto_approve")
    assert approval.actor is None and "unchanged since version 1" in approval.reason
    # What the status window and the admin read.
    carried = {p.phase: p.carried_over for p in review_summary(second).phases}
    assert carried[Phase.CODE_REVIEW].sentence == "carried over from version 1, signed by erin"
    assert carried[Phase.AUTOMATED] is None
    # A company-only version gets its private URL, as with an engineer's approval.
    assert second.private_token


def test_a_sign_off_carried_twice_names_who_signed_it_and_on_which_version(connector, first, alice):
    _reviewed(connector, alice, description="Second words.")
    third = _reviewed(connector, alice, description="Third words.")

    assert third.state == ReviewState.APPROVED
    carried = {p.phase: p.carried_over for p in review_summary(third).phases}
    assert carried[Phase.SECURITY].sentence == "carried over from version 2, signed by erin on version 1"


def test_the_email_says_it_was_approved_automatically_and_whose_sign_offs_stand(connector, first, alice):
    second = _reviewed(connector, alice, description="Now with a better description.")
    mail.outbox.clear()

    send_event_email(second.events.get(transition="auto_approve").pk)

    (message,) = mail.outbox
    assert "approved automatically" in message.subject
    assert "same as version 1's" in message.body and "signed by erin" in message.body
    html = message.alternatives[0][0]
    assert "approved automatically" in html and "signed by erin" in html


def test_a_failing_automated_phase_is_not_approved(connector, first, alice):
    samples = copy.deepcopy(Connector.objects.get(pk=connector.pk).samples)
    samples["responses"] = [r for r in samples["responses"] if "opportunities" not in r["url"]]

    second = _reviewed(connector, alice, samples=samples)

    assert second.state == ReviewState.CHANGES_REQUESTED
    assert _statuses(second)[Phase.AUTOMATED] == PhaseStatus.FAILED
    assert not second.events.filter(transition__in=["sign_offs_carried_over", "auto_approve"]).exists()
    assert not second.phases.filter(details__has_key="carried_over").exists()


@pytest.mark.parametrize("change", [
    pytest.param(lambda c: {"processdata_script": c.processdata_script.replace("500 rows", "501 rows", 1)},
                 id="one byte of a script"),
    pytest.param(lambda c: {"hosts": [*c.hosts, "cdn.example-sales.com"]}, id="a host more"),
    pytest.param(lambda c: {"auth_method": "api_key"}, id="the sign-in method"),
])
def test_any_other_change_to_the_code_resets_the_sign_offs(connector, first, alice, change):
    second = _reviewed(connector, alice, **change(Connector.objects.get(pk=connector.pk)))

    assert second.state in (ReviewState.IN_REVIEW, ReviewState.CHANGES_REQUESTED)
    assert not second.events.filter(transition__in=["sign_offs_carried_over", "auto_approve"]).exists()
    assert not second.phases.filter(details__has_key="carried_over").exists()


def test_a_script_that_changed_only_its_line_endings_is_the_same_code(connector, first, alice):
    script = Connector.objects.get(pk=connector.pk).processdata_script

    second = _reviewed(connector, alice, processdata_script=script.replace("\n", "\r\n"))

    assert second.state == ReviewState.APPROVED
    assert second.events.filter(transition="auto_approve").exists()


def test_the_setting_off_resets_the_sign_offs(connector, first, alice, settings):
    settings.REVIEW_CARRY_OVER = False

    second = _reviewed(connector, alice, description="Now with a better description.")

    assert second.state == ReviewState.IN_REVIEW
    assert _statuses(second)[Phase.SECURITY] == PhaseStatus.NEEDS_REVIEW
    assert _statuses(second)[Phase.CODE_REVIEW] == PhaseStatus.NEEDS_REVIEW
    assert second.events.filter(transition="checks_passed").exists()


def test_nothing_carries_over_from_a_version_that_was_taken_down(connector, first, alice, erin):
    services.submission_take_down(submission=first, user=erin, reason="Sends data to an unknown host.")

    second = _reviewed(connector, alice, description="Now with a better description.")

    assert second.state == ReviewState.IN_REVIEW
    assert _statuses(second)[Phase.SECURITY] == PhaseStatus.NEEDS_REVIEW


def test_nothing_carries_over_past_a_newer_version_that_was_taken_down(connector, first, alice, erin):
    # Version 2, the same code, was approved and taken down: version 1 is approved still,
    # but the code the engineers took out of use is this very code.
    second = _reviewed(connector, alice, description="Second words.")
    assert second.state == ReviewState.APPROVED
    services.submission_take_down(submission=second, user=erin, reason="It leaks the password.")

    third = _reviewed(connector, alice, description="Third words.")

    assert third.state == ReviewState.IN_REVIEW
    assert not third.events.filter(transition="auto_approve").exists()


def test_a_take_down_while_the_machine_runs_stops_the_carry_over(connector, first, alice, erin, monkeypatch):
    import review.engine

    real_run = review.engine.run_review

    def run_while_an_engineer_takes_down(*args):
        result = real_run(*args)
        services.submission_take_down(submission=first, user=erin, reason="Sends data to an unknown host.")
        return result

    monkeypatch.setattr(review.engine, "run_review", run_while_an_engineer_takes_down)

    second = _reviewed(connector, alice, description="Now with a better description.")

    assert second.state == ReviewState.IN_REVIEW
    assert Submission.objects.get(pk=first.pk).state == ReviewState.TAKEN_DOWN
    assert not second.events.filter(transition="auto_approve").exists()


def test_it_carries_over_only_from_the_newest_approved_version(connector, first, alice, erin):
    original = Connector.objects.get(pk=connector.pk).processdata_script
    changed = _reviewed(connector, alice, processdata_script=original + "\n// version 2\n")
    _approved_by(erin, changed)

    # The same code as version 1, but version 2 (other code) is the newest approved one.
    third = _reviewed(connector, alice, processdata_script=original)

    assert third.state == ReviewState.IN_REVIEW
    assert not third.events.filter(transition="auto_approve").exists()


def test_a_company_only_approval_does_not_carry_over_to_a_public_version(connector, first, alice):
    second = _reviewed(connector, alice, visibility="public", description="For everybody now.")

    assert second.state == ReviewState.IN_REVIEW
    assert not second.events.filter(transition="auto_approve").exists()


def test_a_public_approval_carries_over_to_a_company_only_version(connector, alice, erin):
    _approved_by(erin, _reviewed(connector, alice, visibility="public"))

    second = _reviewed(connector, alice, visibility="company", description="Only for us now.")

    assert second.state == ReviewState.APPROVED


def test_it_needs_both_sign_offs_on_the_approved_version(connector, first, alice):
    # An approved version without an engineer's sign-off rows (say, from before the phases)
    # has nothing to carry over.
    first.phases.filter(phase=Phase.CODE_REVIEW).update(status=PhaseStatus.PENDING)

    second = _reviewed(connector, alice, description="Now with a better description.")

    assert second.state == ReviewState.IN_REVIEW


# --- what "the code" is (connectors.code_identity) ------------------------------------------

MANIFEST = {
    "name": "X", "description": "Words.", "auth": {"method": "custom", "fields": [
        {"key": "token", "label": "Token", "secret": True}]},
    "hosts": ["api.example.com", "login.example.com"], "reports": ["Events"],
    "parameters": [{"name": "Region", "type": "dropdown", "help": "Where",
                    "options": [{"name": "Europe", "value": "eu"}]}],
    "samples": {"account": {"token": "x"}},
}
SCRIPTS = {"authentication.js": "auth.authenticationSuccess();\n", "processdata.js": "datagrid.endRow();\n"}


def _with(**changes):
    manifest = copy.deepcopy(MANIFEST)
    manifest.update(changes)
    return code_of(manifest, SCRIPTS)


@pytest.mark.parametrize("changes", [
    {"name": "Y"}, {"description": "Other words."}, {"reports": ["Events", "Invoices"]},
    {"hosts": ["LOGIN.example.com", "api.example.com", "api.example.com"]},
    {"samples": {"account": {"token": "y"}}},
    {"parameters": [{"name": "Region", "type": "dropdown", "help": "Other help", "required": True,
                     "options": [{"name": "The EU", "value": "eu"}]}]},
    {"auth": {"method": "custom", "fields": [{"key": "token", "label": "API token", "secret": True}]}},
], ids=["name", "description", "reports", "hosts-order-case", "samples", "parameter-words", "field-label"])
def test_words_and_test_data_are_not_code(changes):
    assert code_changes(code_of(MANIFEST, SCRIPTS), _with(**changes)) == []


@pytest.mark.parametrize("changes,what", [
    ({"hosts": ["api.example.com"]}, "the hosts"),
    ({"auth": {"method": "custom", "fields": [{"key": "token", "label": "Token", "secret": False}]}},
     "the authentication settings"),
    ({"parameters": [{"name": "Region", "type": "dropdown", "options": [{"name": "Europe", "value": "eu-1"}]}]},
     "the parameters"),
])
def test_hosts_sign_in_and_parameter_values_are_code(changes, what):
    assert code_changes(code_of(MANIFEST, SCRIPTS), _with(**changes)) == [what]


def test_a_script_is_compared_byte_for_byte_after_line_endings():
    same = {path: source.replace("\n", "\r\n") for path, source in SCRIPTS.items()}
    spaced = {**SCRIPTS, "processdata.js": "datagrid.endRow(); \n"}
    assert code_of(MANIFEST, same) == code_of(MANIFEST, SCRIPTS)
    assert code_changes(code_of(MANIFEST, SCRIPTS), code_of(MANIFEST, spaced)) == ["the processdata script"]


# --- the review queue's "Recently auto-approved" list -------------------------------------------


def test_the_queue_lists_what_the_portal_approved_by_itself(connector, first, alice, erin, client):
    second = _reviewed(connector, alice, description="Now with a better description.")
    client.force_login(erin)

    html = client.get("/admin/connectors/submission/").content.decode()

    assert 'id="recently-auto-approved"' in html
    assert html.count('data-testid="auto-approved-row"') == 1
    assert f'/admin/connectors/submission/{second.pk}/change/' in html
    assert "unchanged since version 1" in html
    assert f"{second.name} v2" in html


def test_the_list_leaves_out_engineers_approvals_and_old_ones(connector, first, alice, erin, client):
    from datetime import timedelta

    from django.utils import timezone

    from connectors.models import SubmissionEvent
    from review.selectors import AUTO_APPROVED_DAYS, recently_auto_approved

    second = _reviewed(connector, alice, description="Now with a better description.")
    assert recently_auto_approved() and not recently_auto_approved(
        now=timezone.now() + timedelta(days=AUTO_APPROVED_DAYS, minutes=1))
    SubmissionEvent.objects.filter(submission=second, transition="auto_approve").delete()
    client.force_login(erin)

    html = client.get("/admin/connectors/submission/").content.decode()

    assert "recently-auto-approved" not in html  # version 1 was an engineer's approval


def test_the_admin_page_says_whose_sign_off_carried_over(connector, first, alice, erin, client):
    second = _reviewed(connector, alice, description="Now with a better description.")
    client.force_login(erin)

    html = client.get(f"/admin/connectors/submission/{second.pk}/change/").content.decode()

    assert html.count("carried over from version 1, signed by erin") == 2
    assert "Approved automatically: code unchanged since an approved version" in html


def test_the_status_window_says_whose_sign_off_carried_over(connector, first, alice, client):
    second = _reviewed(connector, alice, description="Now with a better description.")
    client.force_login(alice)

    html = client.get(reverse("review:status", args=[second.pk])).content.decode()

    assert html.count('data-testid="carried-over"') == 2
    assert "Carried over from version 1, signed by erin" in html
