"""The editor's server side of "Save and continue": where a save lands, and a refused
save shown again as unsaved (the browser side is tests/browser/test_editor_unsaved.py)."""

import pytest
from django.urls import reverse

from tests.connectors.test_editor import _form


@pytest.mark.parametrize("then", ["check", "submit"])
def test_it_carries_on_with_check_or_submit_after_a_save(client, alice, import_connector, then):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    response = client.post(reverse("connectors:edit", args=[connector.pk]), _form(connector, then=then))
    assert response.status_code == 302
    assert response["Location"] == reverse("connectors:edit", args=[connector.pk]) + f"?then={then}"


@pytest.mark.parametrize("then", ["", "delete", "https://evil.example/"])
def test_it_ignores_any_other_next_step(client, alice, import_connector, then):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    response = client.post(reverse("connectors:edit", args=[connector.pk]), _form(connector, then=then))
    assert response["Location"] == reverse("connectors:edit", args=[connector.pk])


def test_it_marks_a_refused_save_as_unsaved(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    page = client.get(reverse("connectors:edit", args=[connector.pk])).content.decode()
    assert "data-track-changes>" in page
    refused = client.post(reverse("connectors:edit", args=[connector.pk]), _form(connector, hosts="not a host!"))
    assert "data-track-changes data-unsaved>" in refused.content.decode()
