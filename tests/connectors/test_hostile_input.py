"""Input that once answered 500 (on PostgreSQL only, or on every database) is refused
with a message that says what and where, on every way in: upload, editor, API."""

import io
import json
import struct
import zipfile

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from connectors.bundle import reader
from connectors.bundle.errors import BundleError
from connectors.bundle.reader import read_bundle
from connectors.models import Connector
from portal.safe_input import MAX_JSON_DEPTH
from tests.connectors.test_editor import _form


def _bundle_zip(folder, change=None, extra=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_dir():
                continue
            name = path.relative_to(folder).as_posix()
            data = path.read_bytes()
            if name == "connector.json" and change:
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
            archive.writestr(name, data)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _upload(client, data):
    response = client.post(reverse("connectors:upload"),
                           {"bundle": SimpleUploadedFile("b.zip", data, content_type="application/zip")})
    assert response.status_code == 302
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def _deep(depth):
    return "[" * depth + "]" * depth


# -- a zip's entry count is read before its directory is parsed ---------------------


def test_it_refuses_a_zip_with_too_many_entries_before_parsing_its_directory(monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(reader.MAX_ZIP_ENTRIES + 1):
            archive.writestr(f"junk/{i}", b"")

    def never(*args, **kwargs):
        raise AssertionError("the central directory was parsed")

    monkeypatch.setattr(reader.zipfile, "ZipFile", never)
    with pytest.raises(BundleError, match="more than 500 files"):
        read_bundle(buffer.getvalue())


def test_it_believes_no_smaller_count_than_the_directory_declares(bundles_dir):
    data = bytearray(_bundle_zip(bundles_dir / "sales-crm"))
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 60000, 60000)  # entries on this disk, entries in total
    with pytest.raises(BundleError, match="more than 500 files"):
        read_bundle(bytes(data))


# -- NUL characters and over-long paths: refused on SQLite as on PostgreSQL ------------


def test_it_refuses_a_nul_in_a_manifest_string_with_its_json_path(client, alice, bundles_dir):
    client.force_login(alice)
    text = _upload(client, _bundle_zip(bundles_dir / "sales-crm", change=lambda m: m.update(name="CRM\u0000")))
    assert "$.name" in text and "NUL character" in text
    assert not Connector.objects.exists()


def test_it_refuses_a_nul_in_a_sample_string(client, alice, bundles_dir):
    def change(manifest):
        manifest["samples"]["account"] = {"apiKey": "fake\u0000key"}

    client.force_login(alice)
    text = _upload(client, _bundle_zip(bundles_dir / "sales-crm", change=change))
    assert "$.samples.account.apiKey" in text and "NUL character" in text


def test_it_refuses_a_nul_in_a_script(client, alice, bundles_dir):
    client.force_login(alice)
    source = (bundles_dir / "sales-crm" / "processdata.js").read_text() + "\n// \u0000\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted((bundles_dir / "sales-crm").rglob("*")):
            if path.is_file():
                name = path.relative_to(bundles_dir / "sales-crm").as_posix()
                archive.writestr(name, source if name == "processdata.js" else path.read_bytes())
    text = _upload(client, buffer.getvalue())
    assert "processdata.js" in text and "NUL character at line" in text


def test_it_refuses_a_path_longer_than_the_column(client, alice, bundles_dir):
    client.force_login(alice)
    long_name = "samples/" + "a" * 250 + ".json"
    text = _upload(client, _bundle_zip(bundles_dir / "sales-crm", extra={long_name: b"{}"}))
    assert "at most 255" in text
    assert not Connector.objects.exists()


def test_it_refuses_a_nul_in_the_editors_samples(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    samples = json.dumps({"account": {"apiKey": "a\u0000b"}})
    response = client.post(reverse("connectors:edit", args=[connector.pk]), _form(connector, samples=samples))
    assert response.status_code == 200
    assert "NUL character" in response.content.decode()


# -- deep JSON --------------------------------------------------------------------------


def test_it_refuses_deep_json_in_the_editors_samples(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    samples = '{"account": {}, "responses": ' + _deep(50_000) + "}"
    response = client.post(reverse("connectors:edit", args=[connector.pk]), _form(connector, samples=samples))
    assert response.status_code == 200
    assert f"nested more than {MAX_JSON_DEPTH} levels" in response.content.decode()


def test_it_refuses_deep_json_in_a_parameters_other_settings(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    data = _form(connector, **{"parameters-0-name": "Region", "parameters-0-type": "string",
                               "parameters-0-extra": '{"x": ' + _deep(50_000) + "}"})
    response = client.post(reverse("connectors:edit", args=[connector.pk]), data)
    assert response.status_code == 200
    assert f"nested more than {MAX_JSON_DEPTH} levels" in response.content.decode()


def test_it_refuses_a_manifest_nested_deeper_than_the_limit(client, alice, bundles_dir):
    def change(manifest):  # deep enough to parse, too deep to keep
        manifest["parameters"] = [{"name": "Region", "type": "dropdown", "options": json.loads(_deep(200))}]

    client.force_login(alice)
    text = _upload(client, _bundle_zip(bundles_dir / "sales-crm", change=change))
    assert f"nested more than {MAX_JSON_DEPTH} levels" in text and "$.parameters[0].options" in text


# -- one-line fields refuse control characters ------------------------------------------


@pytest.mark.parametrize("name", ["Evil\r\nBcc: x@example.com", "Tab\there"])
def test_it_refuses_a_new_connectors_name_with_a_control_character(client, alice, name):
    client.force_login(alice)
    response = client.post(reverse("connectors:create"), {"name": name})
    assert "cannot hold one" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert not Connector.objects.exists()


def test_other_control_characters_never_reach_the_form(client, alice):
    # portal.input_middleware refuses them in any field before a view runs (400 naming it).
    client.force_login(alice)
    response = client.post(reverse("connectors:create"), {"name": "Bell\x07"})
    assert response.status_code == 400 and "name&#x27; contains the control character U+0007" in response.content.decode()
    assert not Connector.objects.exists()


def test_it_refuses_a_line_break_in_the_editors_one_line_fields(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    data = _form(connector, name="CRM\r\nBcc: x@example.com", **{
        "parameters-0-name": "Region\nEvil", "parameters-0-type": "string"})
    response = client.post(reverse("connectors:edit", args=[connector.pk]), data)
    assert response.content.decode().count("a line break at character") == 2
    connector.refresh_from_db()
    assert connector.name == "Example Sales CRM"


def test_it_refuses_a_control_character_in_an_uploaded_manifests_names(client, alice, bundles_dir):
    def change(manifest):
        manifest["name"] = "CRM\nBcc: x@example.com"
        manifest["reports"] = ["Deals\u0085", "Leads\u001b"]

    client.force_login(alice)
    text = _upload(client, _bundle_zip(bundles_dir / "sales-crm", change=change))
    assert "$.name" in text and "a line break" in text


def test_it_keeps_line_breaks_in_the_description_and_samples(bundles_dir, tmp_path):
    import shutil

    folder = tmp_path / "crm"
    shutil.copytree(bundles_dir / "sales-crm", folder)
    manifest = json.loads((folder / "connector.json").read_text())
    manifest["description"] = "Line one.\nLine two."
    manifest["samples"]["account"] = {"note": "multi\nline"}
    (folder / "connector.json").write_text(json.dumps(manifest))
    assert read_bundle(folder).manifest["description"] == "Line one.\nLine two."


def test_it_refuses_a_line_break_in_an_api_tokens_name(client, alice):
    from api.models import ApiToken

    client.force_login(alice)
    response = client.post(reverse("accounts:token-create"), {"name": "CI\r\nBcc: x"})
    assert response.status_code == 400
    assert "a line break" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_it_covers_every_single_line_input_of_the_forms_not_the_text_areas():
    from django import forms

    from connectors.editor_forms import ConnectorForm
    from connectors.editor_formsets import AuthFieldForm, ParameterForm
    from connectors.forms import NewConnectorForm
    from portal.safe_input import validate_one_line

    for form in (ConnectorForm, AuthFieldForm, ParameterForm, NewConnectorForm):
        for name, field in form.base_fields.items():
            if not isinstance(field, forms.CharField):
                continue
            single_line = not isinstance(field.widget, (forms.Textarea, forms.HiddenInput))
            assert (validate_one_line in field.validators) == single_line, f"{form.__name__}.{name}"
