"""Uploading a Dev Studio export in the portal, and exporting a connector in both layouts."""

import io
import json
import zipfile

from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from connectors import services
from connectors.bundle.devstudio_export import write_devstudio_zip
from connectors.bundle.importer import import_bundle
from connectors.bundle.reader import read_bundle
from connectors.models import Connector
from tests.connectors.devstudio_support import devstudio_zip

SECTIONS = {"connector.json", "authenticationSection.json", "processDataSection.json", "uiMetaData.json",
            "imageSection.json"}
ICON_FILES = {"iconWithBackground.png", "iconWithoutBackground.png", "logoWithBackground.png",
              "logoWithoutBackground.png"}


def _names(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_it_imports_a_dev_studio_zip_from_the_develop_page_and_lists_the_notes(client, alice, acme):
    client.force_login(alice)
    upload = SimpleUploadedFile("MyConnector-main.zip", devstudio_zip(), content_type="application/zip")
    response = client.post(reverse("connectors:upload"), {"bundle": upload})
    connector = Connector.objects.get()
    assert response["Location"] == reverse("connectors:edit", args=[connector.pk])
    assert connector.name == "AWS Copy" and connector.hosts == ["s3.us-east-1.amazonaws.com"]
    assert connector.files.filter(path="icons/logo_without_background.png").exists()
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Dev Studio layout" in text for text in texts)
    assert any("domoClientSecret" in text and "never carries credentials" in text for text in texts)


def test_it_replaces_a_draft_with_a_dev_studio_zip(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    upload = SimpleUploadedFile("export.zip", devstudio_zip(top=""), content_type="application/zip")
    response = client.post(reverse("connectors:replace_bundle", args=[connector.pk]), {"bundle": upload})
    connector.refresh_from_db()
    assert connector.name == "AWS Copy" and connector.auth_method == "none"
    assert any("additionalInfo" in str(m) for m in get_messages(response.wsgi_request))


def test_it_exports_the_dev_studio_layout(client, alice, import_connector):
    connector = import_connector("workspaces-discovery")
    client.force_login(alice)
    response = client.get(reverse("connectors:export", args=[connector.pk]) + "?format=devstudio")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].endswith('-devstudio.zip"')
    files = _names(response.content)
    assert set(files) == SECTIONS | ICON_FILES
    whole = json.loads(files["connector.json"])
    assert whole["processData"] == connector.processdata_script
    assert json.loads(files["processDataSection.json"]) == {"processData": connector.processdata_script}
    discovery = [p for p in whole["parameters"] if p["type"] == "discovery"][0]
    assert discovery["command"]["code"] and discovery["command"]["type"] == "tree"
    assert {p["type"] for p in whole["parameters"]} >= {"dateSelector"}


def test_it_exports_no_credentials_in_the_dev_studio_layout(import_connector):
    connector = import_connector("sales-crm")  # samples.account holds the sandbox's fake password
    files = _names(services.connector_export_bundle(connector, "devstudio"))
    secret = read_bundle(services.connector_export_bundle(connector)).manifest["samples"]["account"]["password"]
    assert all(secret.encode() not in data for data in files.values())
    auth = json.loads(files["authenticationSection.json"])
    assert auth["type"] == "basic"
    assert all(auth[key] is None for key in ("userName", "password", "apiKey", "clientSecret"))


def test_a_dev_studio_export_reads_back_as_the_same_connector(import_connector):
    for name in ("sales-crm", "oauth2-tasks", "workspaces-discovery"):
        connector = import_connector(name)
        ours = read_bundle(services.connector_export_bundle(connector))
        back = import_bundle(services.connector_export_bundle(connector, "devstudio")).bundle
        for key in ("name", "description", "auth", "reports", "parameters"):
            assert back.manifest.get(key) == ours.manifest.get(key), (name, key)
        scripts = {path: data for path, data in ours.files.items() if not path.startswith("samples/")}
        assert back.files == scripts, name


def test_it_exports_the_dev_studio_layout_deterministically(import_connector):
    bundle = read_bundle(services.connector_export_bundle(import_connector("sales-crm")))
    assert write_devstudio_zip(bundle) == write_devstudio_zip(bundle)


def test_it_refuses_an_unknown_export_format(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    response = client.get(reverse("connectors:export", args=[connector.pk]) + "?format=tarball")
    assert response.status_code == 400
    assert b"format must be one of bundle, devstudio" in response.content


def test_an_outsider_cannot_export_in_either_layout(client, bob, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(bob)
    for query in ("", "?format=devstudio"):
        assert client.get(reverse("connectors:export", args=[connector.pk]) + query).status_code == 404


def test_the_develop_page_offers_both_exports(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    page = client.get(reverse("connectors:develop")).content.decode()
    assert reverse("connectors:export", args=[connector.pk]) + "?format=devstudio" in page
