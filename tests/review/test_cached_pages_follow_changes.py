"""The cached parts of the status window, View Code, Develop and the Data Center
(portal.fragments) show every change on the next view, whichever path wrote it: a
service, the review pipeline, a bulk job, an admin edit."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from connectors import services
from connectors.models import Company, Membership
from review import conversation
from review import services as review_services
from review.models import Phase, ReviewPhase
from tests.conftest import approve
from tests.review.admin_support import in_review

pytestmark = pytest.mark.usefixtures("empty_cache")


def _status(client, submission):
    return client.get(reverse("review:status", args=[submission.pk])).content.decode()


def _code(client, submission):
    return client.get(reverse("review:code", args=[submission.pk]) + "?file=processdata.js").content.decode()


@pytest.fixture
def reviewing(import_connector, alice, client):
    client.force_login(alice)
    return in_review(import_connector("sales-crm"), alice)


# -- the status window and View Code --------------------------------------------------------

def test_an_engineers_sign_off_shows(client, reviewing, erin):
    assert 'data-phase="security"' in _status(client, reviewing)
    before = _status(client, reviewing)
    review_services.phase_sign_off(submission=reviewing, phase=Phase.SECURITY, engineer=erin, passed=True, note="ok")
    assert _status(client, reviewing) != before
    assert "ok" in _status(client, reviewing)


def test_an_engineers_message_shows(client, reviewing, erin):
    _status(client, reviewing)
    conversation.message_post(submission=reviewing, user=erin, body="Which endpoint pages the deals?")
    assert "Which endpoint pages the deals?" in _status(client, reviewing)


def test_a_withdrawal_shows(client, reviewing, alice):
    assert 'data-testid="review-state">In review<' in _status(client, reviewing)
    services.submission_withdraw(submission=reviewing, user=alice)
    assert 'data-testid="review-state">Withdrawn<' in _status(client, reviewing)


def test_the_pipelines_bulk_written_findings_show(client, import_connector, alice):
    # The pipeline writes its findings in bulk, which sends no signal: it says so itself.
    client.force_login(alice)
    submission = services.connector_submit(
        connector=import_connector("sales-crm-xhr"), user=alice, visibility="company")
    assert "no-xmlhttprequest" not in _code(client, submission)
    review_services.review_submission_now(submission.pk)  # the real engine
    assert "no-xmlhttprequest" in _code(client, submission)


def test_a_beta_expired_by_the_bulk_job_shows(client, import_connector, alice):
    client.force_login(alice)
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")
    services.submission_self_publish(submission=submission, user=alice)
    develop = reverse("connectors:develop")
    assert 'data-testid="beta-state">Beta active' in _status(client, submission)
    assert 'data-beta-state="active"' in client.get(develop).content.decode()
    assert services.betas_expire_due(now=timezone.now() + timedelta(days=365)) == 1
    assert 'data-testid="beta-state">Beta expired' in _status(client, submission)
    assert 'data-beta-state="expired"' in client.get(develop).content.decode()


def test_an_admin_edit_of_a_phase_shows(client, reviewing):
    # Saved like the admin saves it: a model save, no service.
    phase = ReviewPhase.objects.get(submission=reviewing, phase=Phase.CODE_REVIEW)
    before = _status(client, reviewing)
    phase.note = "Looked at the paging loop."
    phase.status = "passed"
    phase.save()
    assert _status(client, reviewing) != before


def test_a_newer_version_of_the_connector_moves_the_older_versions_pages(client, import_connector, alice):
    # An older version's View Code links a finding's line to the editor only while no
    # other version is open: that depends on another submission's row.
    client.force_login(alice)
    connector = import_connector("sales-crm")
    first = in_review(connector, alice)
    services.submission_withdraw(submission=first, user=alice)
    assert "Edit line" in _code(client, first)
    services.connector_submit(connector=connector, user=alice, visibility="company")
    assert "Edit line" not in _code(client, first)


# -- Develop ----------------------------------------------------------------------------------

def test_develop_shows_a_new_a_renamed_and_a_submitted_connector(client, alice, acme, import_connector):
    client.force_login(alice)
    url = reverse("connectors:develop")
    assert "data-connector=" not in client.get(url).content.decode()
    connector = services.connector_create(company=acme, user=alice, name="Billing feed")
    assert "Billing feed" in client.get(url).content.decode()
    services.connector_update(connector=connector, user=alice, name="Invoices feed")
    assert "Invoices feed" in client.get(url).content.decode()
    submitted = import_connector("sales-crm")
    assert 'data-state="submitted"' not in client.get(url).content.decode()
    services.connector_submit(connector=submitted, user=alice, visibility="company")
    assert 'data-state="submitted"' in client.get(url).content.decode()


def test_develop_shows_a_new_companys_connectors_at_once(client, alice, globex, bob):
    services.connector_create(company=globex, user=bob, name="Globex ledger")
    client.force_login(alice)
    url = reverse("connectors:develop")
    assert "Globex ledger" not in client.get(url).content.decode()
    Membership.objects.create(user=alice, company=globex)
    assert "Globex ledger" in client.get(url).content.decode()


# -- the Data Center ----------------------------------------------------------------------------

def test_the_data_center_shows_a_newly_listed_version_and_drops_the_old(client, bob, public_approved, alice):
    client.force_login(bob)
    url = reverse("submissions:data_center")
    assert "version 1" in client.get(url).content.decode()
    approve(services.connector_submit(connector=public_approved.connector, user=alice, visibility="public"))
    page = client.get(url).content.decode()
    assert "version 2" in page and "version 1" not in page


def test_the_data_center_and_its_search_show_a_company_rename(client, bob, public_approved):
    client.force_login(bob)
    url = reverse("submissions:data_center")
    assert "by Acme" in client.get(url).content.decode()
    assert "by Acme" in client.get(url + "?q=sales").content.decode()
    company = Company.objects.get(pk=public_approved.connector.company_id)
    company.name = "Acme Analytics"
    company.save()
    assert "by Acme Analytics" in client.get(url).content.decode()
    assert "by Acme Analytics" in client.get(url + "?q=sales").content.decode()
