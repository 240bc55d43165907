"""Uploading a folder from the web page: files plus their relative paths (static/js/portal.js
sends them as a JSON list in `paths`), read by the same reader as a zip."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from connectors.bundle import MAX_BUNDLE_BYTES, MAX_FILES, MAX_SCRIPT_BYTES, BundleError, UploadedFolder
from connectors.bundle.importer import DEVSTUDIO, import_bundle
from connectors.bundle.reader import read_files
from connectors.models import Connector
from tests.connectors.devstudio_support import EXPORT

UPLOAD = reverse("connectors:upload")


def _files(folder):
    """(relative path, bytes) of every file under `folder`, as the browser sends them."""
    return [(p.relative_to(folder).as_posix(), p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file()]


def _post_data(entries, name="sales-crm"):
    return {
        "folder": [SimpleUploadedFile(path.rsplit("/", 1)[-1], data) for path, data in entries],
        "paths": json.dumps([path for path, _ in entries]),
        "folder_name": name,
    }


def _upload_folder(client, entries, name="sales-crm", url=UPLOAD):
    return client.post(url, _post_data(entries, name), follow=True)


def _refused(client, entries):
    response = _upload_folder(client, entries)
    assert response.redirect_chain[-1][0] == reverse("connectors:develop")
    assert not Connector.objects.exists()
    return response.content.decode()


# -- the reader --------------------------------------------------------------------


def test_the_reader_reads_an_uploaded_folder_like_the_folder_on_disk(bundles_dir):
    folder = bundles_dir / "sales-crm"
    uploaded = UploadedFolder([(path, SimpleUploadedFile("x", data)) for path, data in _files(folder)])
    assert read_files(uploaded) == read_files(folder)


def test_the_reader_skips_junk_and_a_common_top_folder(bundles_dir):
    entries = [("sales-crm/" + path, data) for path, data in _files(bundles_dir / "sales-crm")]
    entries += [("sales-crm/.DS_Store", b"junk"), ("__MACOSX/sales-crm/._x", b"junk")]
    uploaded = UploadedFolder([(path, SimpleUploadedFile("x", data)) for path, data in entries])
    assert read_files(uploaded) == read_files(bundles_dir / "sales-crm")


def test_the_importer_converts_a_dev_studio_folder():
    uploaded = UploadedFolder([(path, SimpleUploadedFile("x", data)) for path, data in _files(EXPORT)])
    imported = import_bundle(uploaded)
    assert imported.source_format == DEVSTUDIO and imported.notes


@pytest.mark.parametrize("path, message", [
    ("/etc/passwd", "absolute path"),
    ("../outside.js", "leaves the bundle folder"),
    ("samples\\page.json", "backslash"),
    ("samples/a\x00.json", "NUL character"),
    ("samples/" + "a" * 300 + ".json", "at most 255"),
    ("", "must be a path inside the bundle"),
])
def test_the_reader_refuses_a_hostile_path_and_names_it(bundles_dir, path, message):
    entries = [*_files(bundles_dir / "sales-crm"), (path, b"{}")]
    with pytest.raises(BundleError) as refused:
        read_files(UploadedFolder([(p, SimpleUploadedFile("x", d)) for p, d in entries]))
    assert message in refused.value.message
    assert refused.value.file is not None


def test_the_reader_refuses_a_path_twice(bundles_dir):
    entries = [*_files(bundles_dir / "sales-crm"), ("connector.json", b"{}")]
    with pytest.raises(BundleError, match="twice"):
        read_files(UploadedFolder([(p, SimpleUploadedFile("x", d)) for p, d in entries]))


# -- the Develop page --------------------------------------------------------------


def test_a_folder_of_our_layout_is_imported(client, alice, acme, bundles_dir):
    client.force_login(alice)
    response = _upload_folder(client, _files(bundles_dir / "sales-crm"))
    connector = Connector.objects.get()
    assert connector.company == acme and connector.name == "Example Sales CRM"
    assert response.redirect_chain[-1][0] == reverse("connectors:edit", args=[connector.pk])
    assert connector.files.filter(path="icons/icon_with_background.png").exists()
    assert "The folder sales-crm was imported as Example Sales CRM." in response.content.decode()


def test_a_folder_in_the_dev_studio_layout_is_converted_with_its_notes(client, alice, acme):
    client.force_login(alice)
    response = _upload_folder(client, _files(EXPORT), name="aws-copy")
    body = response.content.decode()
    connector = Connector.objects.get()
    assert connector.name == "AWS Copy"
    assert connector.files.filter(path="icons/icon_with_background.png").exists()
    assert "The folder aws-copy was imported as AWS Copy, converted from Domo&#x27;s Dev Studio layout." in body
    assert "samples.responses" in body  # one of the conversion notes


def test_a_hostile_path_is_refused_naming_it(client, alice, bundles_dir):
    client.force_login(alice)
    body = _refused(client, [*_files(bundles_dir / "sales-crm"), ("../../etc/cron.d/x", b"x")])
    assert "The folder sales-crm was not imported: ../../etc/cron.d/x: leaves the bundle folder" in body


def test_too_many_files_are_refused(client, alice, bundles_dir):
    client.force_login(alice)
    extra = [(f"samples/page-{i}.json", b"{}") for i in range(MAX_FILES)]
    body = _refused(client, [*_files(bundles_dir / "sales-crm"), *extra])
    assert f"more than {MAX_FILES} files" in body


def test_a_folder_too_large_in_total_is_refused_naming_the_file(client, alice, bundles_dir):
    client.force_login(alice)
    big = b"x" * (MAX_BUNDLE_BYTES // 2)
    extra = [("samples/a.bin", big), ("samples/b.bin", big), ("samples/c.bin", big)]
    body = _refused(client, [*_files(bundles_dir / "sales-crm"), *extra])
    assert "more than 20 MiB" in body and "samples/" in body


def test_a_script_over_the_script_limit_is_refused(client, alice, bundles_dir):
    client.force_login(alice)
    entries = [(p, d) for p, d in _files(bundles_dir / "sales-crm") if p != "processdata.js"]
    body = _refused(client, [*entries, ("processdata.js", b"x" * (MAX_SCRIPT_BYTES + 1))])
    assert "processdata.js: is larger than 1 MiB" in body


def test_paths_that_do_not_match_the_files_are_refused(client, alice, bundles_dir):
    client.force_login(alice)
    data = _post_data(_files(bundles_dir / "sales-crm"))
    data["paths"] = json.dumps(json.loads(data["paths"])[:-1])
    body = client.post(UPLOAD, data, follow=True).content.decode()
    assert "paths" in body and "files" in body
    assert not Connector.objects.exists()


@pytest.mark.parametrize("paths", ["not json", '{"a": 1}', "[1, 2]"])
def test_paths_that_are_not_a_list_of_strings_are_refused(client, alice, bundles_dir, paths):
    client.force_login(alice)
    data = _post_data(_files(bundles_dir / "sales-crm"))
    data["paths"] = paths
    body = client.post(UPLOAD, data, follow=True).content.decode()
    assert "upload the folder again" in body
    assert not Connector.objects.exists()


def test_a_folder_without_paths_asks_for_javascript_or_a_zip(client, alice, bundles_dir):
    client.force_login(alice)
    data = _post_data(_files(bundles_dir / "sales-crm"))
    del data["paths"]
    body = client.post(UPLOAD, data, follow=True).content.decode()
    assert "upload a .zip" in body
    assert not Connector.objects.exists()


def test_a_zip_and_a_folder_at_once_are_refused(client, alice, bundles_dir):
    client.force_login(alice)
    data = _post_data(_files(bundles_dir / "sales-crm"))
    data["bundle"] = SimpleUploadedFile("crm.zip", b"PK")
    body = client.post(UPLOAD, data, follow=True).content.decode()
    assert "either a .zip or a folder" in body
    assert not Connector.objects.exists()


def test_an_odd_folder_name_is_not_echoed(client, alice, bundles_dir):
    client.force_login(alice)
    response = _upload_folder(client, _files(bundles_dir / "sales-crm"), name="<b>x</b>/../")
    assert "The uploaded folder was imported as Example Sales CRM." in response.content.decode()
    # A NUL never reaches the view (portal.input_middleware): 400, and the name is still not echoed.
    response = _upload_folder(client, _files(bundles_dir / "sales-crm"), name="<b>x</b>/../\x00")
    assert response.status_code == 400 and "<b>x</b>" not in response.content.decode()


def test_nothing_chosen_still_asks_for_a_zip_or_folder(client, alice):
    client.force_login(alice)
    response = client.post(UPLOAD, {}, follow=True)
    assert "Choose a bundle .zip or folder to upload." in response.content.decode()


# -- the editor --------------------------------------------------------------------


def test_the_editor_replaces_the_draft_from_a_folder(client, alice, import_connector, bundles_dir):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    entries = [(p, d) if p != "connector.json" else (p, d.replace(b'"description": "', b'"description": "New. '))
               for p, d in _files(bundles_dir / "sales-crm")]
    response = _upload_folder(client, entries, url=reverse("connectors:replace_bundle", args=[connector.pk]))
    connector.refresh_from_db()
    assert connector.description.startswith("New. ")
    assert "The folder sales-crm replaced the connector&#x27;s draft." in response.content.decode()


def test_the_editor_keeps_the_draft_when_a_folder_is_hostile(client, alice, import_connector, bundles_dir):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    entries = [*_files(bundles_dir / "sales-crm"), ("/abs.js", b"x")]
    response = _upload_folder(client, entries, url=reverse("connectors:replace_bundle", args=[connector.pk]))
    body = response.content.decode()
    assert "The folder sales-crm was not imported: /abs.js: is an absolute path" in body
    assert "The connector was not changed." in body


def test_the_folder_choice_is_hidden_until_javascript_shows_it(client, alice, acme):
    """Without JavaScript the paths cannot be sent, so only the zip is offered."""
    client.force_login(alice)
    body = client.get(reverse("connectors:develop")).content.decode()
    assert '<div data-folder-choice hidden>' in body
    assert 'webkitdirectory' in body and 'name="folder"' in body and 'name="bundle"' in body


def test_django_lets_through_as_many_files_as_the_reader_explains(settings):
    """Past Django's limit the request is refused with a bare 400, before the reader can say why."""
    from connectors.bundle.limits import MAX_ENTRIES

    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == MAX_ENTRIES


def test_it_refuses_folder_paths_nested_past_the_json_limit(client, alice, acme):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(alice)
    upload = SimpleUploadedFile("connector.json", b"{}")
    response = client.post(reverse("connectors:upload"), {"folder": [upload], "paths": "[" * 100_000}, follow=True)
    assert response.status_code == 200
    assert "could not be read" in response.content.decode()
