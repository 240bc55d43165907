"""Importing and exporting bundles through the services: all or nothing, and round trips."""

import io
import zipfile

import pytest
from PIL import Image

from connectors import services
from connectors.bundle.reader import read_bundle
from connectors.bundle.writer import write_bundle_zip
from connectors.errors import ConnectorLocked, InvalidBundle
from connectors.models import Connector, ConnectorFile


def _zip_of(bundle_dir, replace=None, extra=None):
    replace = replace or {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(bundle_dir.rglob("*")):
            if path.is_file():
                name = path.relative_to(bundle_dir).as_posix()
                archive.writestr(name, replace.get(name, path.read_bytes()))
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _png(width, height, fmt="PNG"):
    buffer = io.BytesIO()
    Image.new("RGBA" if fmt == "PNG" else "RGB", (width, height)).save(buffer, fmt)
    return buffer.getvalue()


@pytest.mark.parametrize("bundle", ["sales-crm", "oauth2-tasks", "workspaces-discovery"])
def test_it_exports_what_it_imported(import_connector, bundles_dir, bundle):
    original = read_bundle(bundles_dir / bundle)
    connector = import_connector(bundle)
    exported = read_bundle(services.connector_export_bundle(connector))
    assert exported.files == original.files
    for key in ("name", "description", "auth", "hosts", "reports", "parameters", "samples"):
        assert exported.manifest.get(key) == original.manifest.get(key), key


def test_it_exports_deterministically(import_connector):
    connector = import_connector("sales-crm")
    assert services.connector_export_bundle(connector) == services.connector_export_bundle(connector)


@pytest.mark.parametrize(
    "replace,needle",
    [
        ({"connector.json": b"{not json"}, "connector.json"),
        ({"connector.json": b'{"format": 1, "name": "x", "auth": {"method": "telepathy"}}'}, "$.auth.method"),
        ({"icons/logo_without_background.png": _png(512, 512)}, "icons/logo_without_background.png"),
        ({"icons/icon_with_background.png": _png(512, 512, "JPEG")}, "icons/icon_with_background.png"),
        ({"processdata.js": "var caf\u00e9 = 1;".encode("latin-1")}, "processdata.js"),
    ],
)
def test_it_refuses_a_bad_bundle_and_stores_nothing(acme, alice, bundles_dir, replace, needle):
    with pytest.raises(InvalidBundle) as refused:
        services.connector_import_bundle(company=acme, user=alice, source=_zip_of(bundles_dir / "sales-crm", replace))
    assert needle in refused.value.message
    assert not Connector.objects.exists() and not ConnectorFile.objects.exists()


def test_it_refuses_path_traversal(acme, alice, bundles_dir):
    data = _zip_of(bundles_dir / "sales-crm", extra={"../evil.js": b"x"})
    with pytest.raises(InvalidBundle) as refused:
        services.connector_import_bundle(company=acme, user=alice, source=data)
    assert "evil.js" in refused.value.message
    assert not Connector.objects.exists()


def test_it_replaces_a_drafts_content_but_not_a_frozen_one(import_connector, alice, bundles_dir):
    connector = import_connector("sales-crm")
    replaced = services.connector_replace_bundle(connector=connector, user=alice, source=bundles_dir / "oauth2-tasks")
    assert (replaced.pk, replaced.auth_method) == (connector.pk, "oauth2")
    assert sorted(replaced.files.values_list("path", flat=True)) == sorted(
        p for p in read_bundle(bundles_dir / "oauth2-tasks").files if p not in ("authentication.js", "processdata.js")
    )
    services.connector_submit(connector=replaced, user=alice, visibility="public", instructions="u / p")
    with pytest.raises(ConnectorLocked):
        services.connector_replace_bundle(connector=replaced, user=alice, source=bundles_dir / "sales-crm")


def test_it_sets_an_icon_only_at_its_exact_size(import_connector, alice):
    connector = import_connector("sales-crm")
    with pytest.raises(InvalidBundle) as refused:
        services.connector_set_icon(connector=connector, user=alice, key="logo_without_background", data=_png(512, 512))
    assert "1024" in refused.value.message
    services.connector_set_icon(connector=connector, user=alice, key="logo_without_background", data=_png(1024, 512))
    assert bytes(connector.files.get(path="icons/logo_without_background.png").content) == _png(1024, 512)


def test_it_round_trips_through_the_writer(import_connector):
    bundle = read_bundle(services.connector_export_bundle(import_connector("workspaces-discovery")))
    assert read_bundle(write_bundle_zip(bundle)) == bundle
