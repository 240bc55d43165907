"""Self-publish: only company-only connectors without OAuth 2.0 or discovery, while open."""

import pytest
from django.utils import timezone

from connectors import services
from connectors.errors import SelfPublishRefused
from connectors.models import BetaState, ReviewState, Submission


def _submit(connector, user, visibility="company"):
    instructions = "tester / secret" if connector.uses_oauth2 else ""
    return services.connector_submit(connector=connector, user=user, visibility=visibility, instructions=instructions)


def test_it_self_publishes_a_company_connector_with_a_private_url_and_expiry(import_connector, alice, settings):
    settings.BETA_DAYS = 14
    submission = _submit(import_connector("sales-crm"), alice)
    beta = services.submission_self_publish(submission=submission, user=alice)
    assert beta.beta_state == BetaState.ACTIVE
    assert len(beta.beta_token) >= 40  # 256 bits, URL-safe base64
    days = (beta.beta_expires_at - timezone.now()).total_seconds() / 86400
    assert 13.99 < days <= 14


def test_it_uses_the_beta_days_setting(import_connector, alice, settings):
    settings.BETA_DAYS = 30
    beta = services.submission_self_publish(submission=_submit(import_connector("sales-crm"), alice), user=alice)
    assert 29.99 < (beta.beta_expires_at - timezone.now()).total_seconds() / 86400 <= 30


@pytest.mark.parametrize(
    "bundle,visibility,needle",
    [
        ("sales-crm", "public", "public"),
        ("oauth2-tasks", "company", "OAuth 2.0"),
        ("workspaces-discovery", "company", "discovery"),
    ],
)
def test_it_refuses_with_the_reason(import_connector, alice, bundle, visibility, needle):
    submission = _submit(import_connector(bundle), alice, visibility)
    with pytest.raises(SelfPublishRefused) as refused:
        services.submission_self_publish(submission=submission, user=alice)
    assert needle in refused.value.message
    assert Submission.objects.get(pk=submission.pk).beta_state == BetaState.NONE


@pytest.mark.parametrize("state", [ReviewState.APPROVED, ReviewState.CHANGES_REQUESTED, ReviewState.WITHDRAWN])
def test_it_refuses_once_the_review_has_ended(import_connector, alice, state):
    submission = _submit(import_connector("sales-crm"), alice)
    Submission.objects.filter(pk=submission.pk).update(state=state)
    with pytest.raises(SelfPublishRefused) as refused:
        services.submission_self_publish(submission=Submission.objects.get(pk=submission.pk), user=alice)
    assert "submitted or in review" in refused.value.message


def test_it_allows_self_publish_while_in_review(import_connector, alice):
    submission = _submit(import_connector("sales-crm"), alice)
    services.submission_start_review(submission=submission)
    assert services.submission_self_publish(submission=submission, user=alice).beta_state == BetaState.ACTIVE


def test_it_closes_the_previous_beta_when_a_new_version_is_submitted(import_connector, alice):
    connector = import_connector("sales-crm")
    first = _submit(connector, alice)
    services.submission_self_publish(submission=first, user=alice)
    services.submission_withdraw(submission=first, user=alice)
    second = _submit(connector, alice)
    services.submission_self_publish(submission=second, user=alice)
    services.submission_start_review(submission=second)
    Submission.objects.filter(pk=second.pk).update(state=ReviewState.CHANGES_REQUESTED)
    third = _submit(connector, alice)
    assert third.number == 3
    second.refresh_from_db()
    assert second.beta_state == BetaState.CLOSED
    assert "Superseded by version 3" in second.events.get(transition="close").reason
