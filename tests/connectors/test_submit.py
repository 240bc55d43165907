"""Submit: the completeness check, the submission modal's rules, the snapshot."""

import pytest
from django.db import connection

from connectors import services
from connectors.bundle.reader import read_bundle
from connectors.errors import ConnectorLocked, IncompleteConnector, InvalidSubmission
from connectors.models import ReviewState


def test_it_snapshots_the_connector(import_connector, alice):
    connector = import_connector("sales-crm")
    submission = services.connector_submit(connector=connector, user=alice, visibility="public")
    assert (submission.state, submission.number, submission.visibility) == (ReviewState.SUBMITTED, 1, "public")
    snapshot = read_bundle(bytes(submission.bundle))
    assert snapshot.text("processdata.js") == connector.processdata_script
    assert submission.scripts["authentication.js"] == connector.authentication_script
    assert len(submission.content_hash) == 64
    assert submission.due_at.date().toordinal() - submission.submitted_at.date().toordinal() == 30


def test_it_refuses_an_incomplete_connector_with_the_list(import_connector, alice):
    connector = import_connector("sales-crm")
    services.connector_update(connector=connector, user=alice, description="", reports=[])
    with pytest.raises(IncompleteConnector) as refused:
        services.connector_submit(connector=connector, user=alice, visibility="company")
    assert {part.field for part in refused.value.missing} == {"description", "reports"}
    assert not connector.submissions.exists()


def test_it_refuses_a_missing_icon(import_connector, alice):
    connector = import_connector("sales-crm")
    services.connector_update(connector=connector, user=alice, files={"icons/logo_without_background.png": None})
    with pytest.raises(IncompleteConnector) as refused:
        services.connector_submit(connector=connector, user=alice, visibility="company")
    assert [p.field for p in refused.value.missing] == ["icons.logo_without_background"]


def test_it_requires_test_credentials_for_oauth2(import_connector, alice):
    connector = import_connector("oauth2-tasks")
    with pytest.raises(InvalidSubmission) as refused:
        services.connector_submit(connector=connector, user=alice, visibility="public", instructions="   ")
    assert refused.value.field == "instructions"
    submission = services.connector_submit(
        connector=connector, user=alice, visibility="public", instructions="user: t@example.com / pw: x"
    )
    assert submission.instructions == "user: t@example.com / pw: x"


def test_it_refuses_an_unknown_visibility(import_connector, alice):
    with pytest.raises(InvalidSubmission) as refused:
        services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="everyone")
    assert refused.value.field == "visibility"


def test_it_stores_additional_instructions_encrypted(import_connector, alice):
    submission = services.connector_submit(
        connector=import_connector("sales-crm"), user=alice, visibility="company", instructions="pw: hunter2"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT instructions FROM connectors_submission WHERE id = %s", [submission.pk])
        raw = cursor.fetchone()[0]
    assert "hunter2" not in raw and raw.startswith("gAAAA")


def test_it_freezes_the_connector_while_a_submission_is_open(import_connector, alice):
    connector = import_connector("sales-crm")
    submission = services.connector_submit(connector=connector, user=alice, visibility="company")
    with pytest.raises(ConnectorLocked) as refused:
        services.connector_update(connector=connector, user=alice, description="changed")
    assert "Withdraw" in refused.value.message
    with pytest.raises(ConnectorLocked):
        services.connector_submit(connector=connector, user=alice, visibility="company")
    services.submission_withdraw(submission=submission, user=alice)
    assert services.connector_update(connector=connector, user=alice, description="changed").description == "changed"


def test_it_numbers_versions_per_connector(import_connector, alice):
    connector = import_connector("sales-crm")
    first = services.connector_submit(connector=connector, user=alice, visibility="company")
    services.submission_withdraw(submission=first, user=alice)
    second = services.connector_submit(connector=connector, user=alice, visibility="company")
    assert (first.number, second.number) == (1, 2)
    other = services.connector_submit(connector=import_connector("oauth2-tasks"), user=alice, visibility="public", instructions="x")
    assert other.number == 1
