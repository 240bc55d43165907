"""Uploading a bundle zip: a new connector from the Develop page, or replacing a draft."""

import io
import json
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from connectors import services
from connectors.models import Connector


def _zip(folder, change=None, drop=()):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(folder).as_posix()
            if path.is_dir() or name in drop:
                continue
            data = path.read_bytes()
            if name == "connector.json" and change:
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
            archive.writestr(name, data)
    return buffer.getvalue()


def _upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/zip")


def test_it_imports_a_bundle_and_opens_the_editor(client, alice, acme, bundles_dir):
    client.force_login(alice)
    response = client.post(reverse("connectors:upload"), {"bundle": _upload("crm.zip", _zip(bundles_dir / "sales-crm"))})
    connector = Connector.objects.get()
    assert connector.company == acme and connector.name == "Example Sales CRM"
    assert response["Location"] == reverse("connectors:edit", args=[connector.pk])
    assert connector.files.filter(path="icons/icon_with_background.png").exists()


def test_it_names_the_file_and_json_path_of_a_bad_manifest(client, alice, bundles_dir):
    def break_it(manifest):
        manifest["parameters"] = [{"name": "Region", "type": "colour"}]

    client.force_login(alice)
    data = _zip(bundles_dir / "sales-crm", change=break_it)
    response = client.post(reverse("connectors:upload"), {"bundle": _upload("broken.zip", data)}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("connectors:develop")
    body = response.content.decode()
    assert "broken.zip was not imported" in body
    assert "connector.json" in body and "$.parameters[0].type" in body
    assert not Connector.objects.exists()


def test_it_explains_a_file_that_is_not_a_zip(client, alice):
    client.force_login(alice)
    response = client.post(reverse("connectors:upload"), {"bundle": _upload("notes.zip", b"hello")}, follow=True)
    body = response.content.decode()
    assert "notes.zip was not imported" in body
    assert not Connector.objects.exists()


def test_it_asks_for_a_file_when_none_was_chosen(client, alice):
    client.force_login(alice)
    response = client.post(reverse("connectors:upload"), {}, follow=True)
    assert "Choose a bundle .zip or folder to upload." in response.content.decode()


def test_it_replaces_the_draft_from_the_editor(client, alice, import_connector, bundles_dir):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    data = _zip(bundles_dir / "sales-crm", change=lambda m: m.update(description="Replaced"))
    response = client.post(reverse("connectors:replace_bundle", args=[connector.pk]),
                           {"bundle": _upload("v2.zip", data)}, follow=True)
    connector.refresh_from_db()
    assert connector.description == "Replaced"
    assert "v2.zip replaced the connector" in response.content.decode()


def test_it_keeps_the_draft_when_a_replacement_is_bad(client, alice, import_connector, bundles_dir):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    data = _zip(bundles_dir / "sales-crm", change=lambda m: m.update(hosts="crm.example-sales.com"))
    response = client.post(reverse("connectors:replace_bundle", args=[connector.pk]),
                           {"bundle": _upload("bad.zip", data)}, follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("connectors:edit", args=[connector.pk])
    assert "bad.zip was not imported" in body and "$.hosts" in body and "not changed" in body
    connector.refresh_from_db()
    assert connector.hosts == ["crm.example-sales.com"]


def test_it_refuses_to_replace_while_a_submission_is_open(client, alice, import_connector, bundles_dir):
    connector = import_connector("sales-crm")
    services.connector_submit(connector=connector, user=alice, visibility="company")
    client.force_login(alice)
    data = _zip(bundles_dir / "sales-crm", change=lambda m: m.update(description="Sneaky"))
    response = client.post(reverse("connectors:replace_bundle", args=[connector.pk]),
                           {"bundle": _upload("v2.zip", data)}, follow=True)
    assert "cannot be edited" in response.content.decode()
    connector.refresh_from_db()
    assert connector.description != "Sneaky"


def test_it_answers_404_to_outsiders_replacing(client, bob, import_connector, bundles_dir):
    connector = import_connector("sales-crm")
    client.force_login(bob)
    response = client.post(reverse("connectors:replace_bundle", args=[connector.pk]),
                           {"bundle": _upload("x.zip", _zip(bundles_dir / "sales-crm"))})
    assert response.status_code == 404
