"""Deleting a draft: only one that was never submitted, only by its company."""

import pytest

from connectors import services
from connectors.errors import ConnectorLocked
from connectors.models import Connector, ConnectorFile


def test_it_deletes_a_never_submitted_draft_with_its_files(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    response = client.post(f"/develop/{connector.pk}/delete/", follow=True)
    assert response.redirect_chain[-1][0] == "/develop/"
    assert f"{connector.name} was deleted." in response.content.decode()
    assert not Connector.objects.exists() and not ConnectorFile.objects.exists()


def test_it_offers_delete_only_before_the_first_submit(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    assert 'data-bs-target="#delete-modal"' in client.get(f"/develop/{connector.pk}/").content.decode()
    submission = services.connector_submit(connector=connector, user=alice, visibility="company")
    services.submission_withdraw(submission=submission, user=alice)
    assert 'data-bs-target="#delete-modal"' not in client.get(f"/develop/{connector.pk}/").content.decode()


def test_it_keeps_a_submitted_connector_and_says_why(client, alice, import_connector):
    connector = import_connector("sales-crm")
    services.connector_submit(connector=connector, user=alice, visibility="company")
    with pytest.raises(ConnectorLocked):
        services.connector_delete(connector=connector, user=alice)
    client.force_login(alice)
    response = client.post(f"/develop/{connector.pk}/delete/", follow=True)
    assert "stays with its versions and review history" in response.content.decode()
    assert Connector.objects.filter(pk=connector.pk).exists()


def test_it_answers_404_to_another_company(client, bob, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(bob)
    assert client.post(f"/develop/{connector.pk}/delete/").status_code == 404
    assert Connector.objects.filter(pk=connector.pk).exists()
