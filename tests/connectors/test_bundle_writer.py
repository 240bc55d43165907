"""write_bundle_zip / write_bundle_folder / bundle_hash: deterministic and round-tripping."""

import io
import json
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from connectors.bundle import (
    Bundle,
    BundleError,
    bundle_hash,
    read_bundle,
    write_bundle_folder,
    write_bundle_zip,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "bundles"
BUNDLES = sorted(p.name for p in FIXTURES.iterdir() if (p / "connector.json").exists())


@pytest.mark.parametrize("name", BUNDLES)
def test_it_round_trips_every_fixture_through_a_zip(name):
    bundle = read_bundle(FIXTURES / name)
    again = read_bundle(write_bundle_zip(bundle))
    assert again == bundle
    assert again.manifest == bundle.manifest and dict(again.files) == dict(bundle.files)


@pytest.mark.parametrize("name", BUNDLES)
def test_it_round_trips_every_fixture_through_a_folder(name, tmp_path):
    bundle = read_bundle(FIXTURES / name)
    write_bundle_folder(bundle, tmp_path / "out")
    assert read_bundle(tmp_path / "out") == bundle


@pytest.mark.parametrize("name", BUNDLES)
def test_it_writes_the_same_bytes_for_the_same_content(name):
    bundle = read_bundle(FIXTURES / name)
    shuffled = Bundle(manifest=json.loads(json.dumps(bundle.manifest)),
                      files=dict(reversed(list(bundle.files.items()))))
    assert write_bundle_zip(bundle) == write_bundle_zip(shuffled)
    assert write_bundle_zip(read_bundle(write_bundle_zip(bundle))) == write_bundle_zip(bundle)


def test_it_writes_sorted_entries_with_a_fixed_timestamp_and_no_folders():
    bundle = read_bundle(FIXTURES / "workspaces-discovery")
    with zipfile.ZipFile(io.BytesIO(write_bundle_zip(bundle))) as archive:
        names = archive.namelist()
        assert names == sorted(names) and "connector.json" in names
        assert not any(name.endswith("/") for name in names)
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert {info.external_attr >> 16 for info in archive.infolist()} == {0o100644}


def test_it_pretty_prints_the_manifest_in_its_own_key_order():
    bundle = Bundle(manifest={"name": "Zé", "format": 1, "auth": {"method": "none"}}, files={})
    with zipfile.ZipFile(io.BytesIO(write_bundle_zip(bundle))) as archive:
        text = archive.read("connector.json").decode("utf-8")
    assert text == '{\n  "name": "Zé",\n  "format": 1,\n  "auth": {\n    "method": "none"\n  }\n}\n'


def test_it_writes_the_same_manifest_bytes_to_a_folder(tmp_path):
    bundle = read_bundle(FIXTURES / "sales-crm")
    write_bundle_folder(bundle, tmp_path / "out")
    with zipfile.ZipFile(io.BytesIO(write_bundle_zip(bundle))) as archive:
        assert (tmp_path / "out" / "connector.json").read_bytes() == archive.read("connector.json")


def test_it_refuses_to_write_into_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "leftover.js").write_text("x")
    with pytest.raises(FileExistsError):
        write_bundle_folder(read_bundle(FIXTURES / "sales-crm"), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leftover.js"]


def test_it_writes_into_an_empty_existing_folder(tmp_path):
    bundle = read_bundle(FIXTURES / "sales-crm")
    write_bundle_folder(bundle, tmp_path)
    assert read_bundle(tmp_path) == bundle


@pytest.mark.parametrize("path", ["../evil.js", "/etc/evil.js", "a\\b.js", "connector.json"])
def test_it_refuses_to_write_unsafe_paths(path, tmp_path):
    bundle = Bundle(manifest={"format": 1}, files={path: b"x"})
    with pytest.raises(BundleError) as caught:
        write_bundle_zip(bundle)
    assert caught.value.file == path
    with pytest.raises(BundleError):
        write_bundle_folder(bundle, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_its_hash_ignores_zip_metadata_and_key_order(tmp_path):
    bundle = read_bundle(FIXTURES / "oauth2-tasks")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:  # other tool, other metadata
        for path, data in reversed(sorted(bundle.files.items())):
            archive.writestr(zipfile.ZipInfo("top/" + path, (2026, 11, 27, 12, 0, 0)), data)
        archive.writestr("top/connector.json", json.dumps(bundle.manifest, sort_keys=True))
    other = read_bundle(buffer.getvalue())
    assert list(other.manifest) != list(bundle.manifest)
    assert bundle_hash(other) == bundle_hash(bundle)
    assert len(bundle_hash(bundle)) == 64 and int(bundle_hash(bundle), 16) >= 0


def test_its_hash_changes_with_any_content():
    bundle = read_bundle(FIXTURES / "sales-crm")
    seen = {
        bundle_hash(bundle),
        bundle_hash(replace(bundle, manifest={**bundle.manifest, "name": "Other"})),
        bundle_hash(replace(bundle, files={**bundle.files, "processdata.js": b"// changed\n"})),
        bundle_hash(replace(bundle, files={**bundle.files, "samples/extra.csv": b""})),
    }
    assert len(seen) == 4


def test_its_hash_cannot_be_fooled_by_moving_bytes_between_path_and_content():
    assert bundle_hash(Bundle({}, {"ab": b"c"})) != bundle_hash(Bundle({}, {"a": b"bc"}))
    assert bundle_hash(Bundle({}, {"a": b"", "b": b""})) != bundle_hash(Bundle({}, {"a": b"b"}))
