"""read_bundle: every sample bundle reads; every hostile input is refused, saying where."""

import io
import json
import os
import stat
import warnings
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from connectors.bundle import MAX_FILES, MAX_SCRIPT_BYTES, BundleError, read_bundle, reader

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "bundles"
BUNDLES = sorted(p.name for p in FIXTURES.iterdir() if (p / "connector.json").exists())


def fixture_files(name="sales-crm"):
    """A fixture's files read straight from disk (not through the reader)."""
    root = FIXTURES / name
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def make_zip(entries, prefix=""):
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns on the duplicate names some tests want
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in entries.items() if isinstance(entries, dict) else entries:
                archive.writestr(prefix + name, data)
    return buffer.getvalue()


def refused(source):
    with pytest.raises(BundleError) as caught:
        read_bundle(source)
    return caught.value


# -- what reads --------------------------------------------------------------------


@pytest.mark.parametrize("name", BUNDLES)
def test_it_reads_every_fixture_bundle_folder(name):
    bundle = read_bundle(FIXTURES / name)
    assert bundle.manifest == json.loads((FIXTURES / name / "connector.json").read_text())
    assert "connector.json" not in bundle.files
    assert {k: v for k, v in fixture_files(name).items() if k != "connector.json"} == dict(bundle.files)


@pytest.mark.parametrize("name", BUNDLES)
def test_it_reads_every_fixture_bundle_as_a_zip_path_bytes_and_upload(name, tmp_path):
    data = make_zip(fixture_files(name))
    (tmp_path / "b.zip").write_bytes(data)
    expected = read_bundle(FIXTURES / name)
    assert read_bundle(tmp_path / "b.zip") == expected
    assert read_bundle(str(tmp_path / "b.zip")) == expected
    assert read_bundle(data) == expected
    assert read_bundle(SimpleUploadedFile("b.zip", data)) == expected


def test_it_strips_one_top_folder_and_skips_junk_entries():
    entries = [("MyConnector/", b"")]
    entries += [("MyConnector/" + k, v) for k, v in fixture_files().items()]
    entries += [("MyConnector/.DS_Store", b"\0junk"), ("__MACOSX/MyConnector/._connector.json", b"\0junk"),
                ("MyConnector/samples/", b"")]
    bundle = read_bundle(make_zip(entries))
    assert bundle == read_bundle(FIXTURES / "sales-crm")


def test_it_skips_junk_in_a_folder(tmp_path):
    for rel, data in fixture_files().items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    (tmp_path / ".DS_Store").write_bytes(b"\0")
    (tmp_path / "__MACOSX").mkdir()
    (tmp_path / "__MACOSX" / "._processdata.js").write_bytes(b"\xff\xfe")
    assert read_bundle(tmp_path) == read_bundle(FIXTURES / "sales-crm")


def test_it_reads_a_stream_that_cannot_seek():
    class Pipe(io.RawIOBase):
        def __init__(self, data):
            self.inner = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, buffer):
            chunk = self.inner.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    assert read_bundle(Pipe(make_zip(fixture_files()))).name == "Example Sales CRM"


# -- paths -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, words",
    [
        ("../evil.js", "leaves the bundle"),
        ("samples/../../evil.js", "leaves the bundle"),
        ("/etc/evil.js", "absolute"),
        ("C:\\evil.js", "absolute"),
        ("\\evil.js", "absolute"),
        ("samples\\evil.js", "backslash"),
    ],
)
def test_it_refuses_zip_entries_that_could_leave_the_bundle(name, words):
    error = refused(make_zip({**fixture_files(), name: b"x"}))
    assert error.file == name
    assert words in error.message


def test_it_refuses_a_symlink_entry_in_a_zip():
    info = zipfile.ZipInfo("samples/link.csv")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    buffer = io.BytesIO(make_zip(fixture_files()))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(info, "/etc/passwd")
    error = refused(buffer.getvalue())
    assert error.file == "samples/link.csv" and "link" in error.message


def test_it_refuses_a_symlink_in_a_folder(tmp_path):
    for rel, data in fixture_files().items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    (tmp_path / "samples" / "passwd.csv").symlink_to("/etc/passwd")
    error = refused(tmp_path)
    assert error.file == "samples/passwd.csv" and "link" in error.message


def test_it_refuses_a_symlinked_folder_in_a_folder(tmp_path):
    for rel, data in fixture_files().items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    (tmp_path / "etc").symlink_to("/etc", target_is_directory=True)
    assert refused(tmp_path).file == "etc"


def _patch(data, old, new):
    assert len(old) == len(new) and data.count(old) == 2  # local header and central directory
    return data.replace(old, new)


def test_it_refuses_a_zip_name_that_is_not_utf8():
    data = _patch(make_zip({**fixture_files(), "samples/bad_X.csv": b"x"}), b"bad_X", b"bad_\xff")
    error = refused(data)
    assert "UTF-8" in error.message and "bad_" in error.file


def test_it_refuses_a_zip_name_flagged_utf8_that_is_not():
    buffer = io.BytesIO(make_zip(fixture_files()))
    with zipfile.ZipFile(buffer, "a") as archive:
        info = zipfile.ZipInfo("samples/bad_X.csv")
        info.flag_bits |= 0x800
        archive.writestr(info, b"x")
    error = refused(_patch(buffer.getvalue(), b"bad_X", b"bad_\xff"))
    assert "UTF-8" in error.message and "bad_" in error.file


def test_it_refuses_a_folder_file_name_that_is_not_utf8(tmp_path):
    for rel, data in fixture_files().items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    with open(os.path.join(os.fsencode(tmp_path), b"samples", b"bad_\xff.csv"), "wb") as handle:
        handle.write(b"x")
    error = refused(tmp_path)
    assert "UTF-8" in error.message and error.file == "samples/bad_\\xff.csv"


def test_it_refuses_duplicate_names():
    entries = list(fixture_files().items()) + [("processdata.js", b"// second copy\n")]
    error = refused(make_zip(entries))
    assert error.file == "processdata.js" and "twice" in error.message


def test_it_refuses_duplicates_that_only_differ_by_dot_parts():
    entries = list(fixture_files().items()) + [("./processdata.js", b"// second copy\n")]
    assert refused(make_zip(entries)).file == "processdata.js"


def test_it_refuses_a_name_that_is_both_file_and_folder():
    error = refused(make_zip({**fixture_files(), "samples": b"x"}))
    assert error.file == "samples" and "both a file and a folder" in error.message


def test_it_refuses_an_encrypted_entry():
    data = make_zip(fixture_files())
    central = data.index(b"PK\x01\x02")
    data = data[: central + 8] + bytes([data[central + 8] | 1]) + data[central + 9:]
    assert "encrypted" in refused(data).message


# -- sizes -------------------------------------------------------------------------


def test_it_refuses_more_than_max_files_entries():
    entries = {**fixture_files(), **{f"samples/page-{i}.json": b"{}" for i in range(MAX_FILES)}}
    assert f"more than {MAX_FILES} files" in refused(make_zip(entries)).message


def test_it_refuses_more_than_max_files_in_a_folder(tmp_path):
    for rel, data in fixture_files().items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    for i in range(MAX_FILES):
        (tmp_path / "samples" / f"page-{i}.json").write_bytes(b"{}")
    assert f"more than {MAX_FILES} files" in refused(tmp_path).message


def test_it_refuses_a_bundle_whose_declared_size_is_over_the_limit():
    entries = {**fixture_files(), "samples/big-1.bin": bytes(11 * 2**20), "samples/big-2.bin": bytes(11 * 2**20)}
    error = refused(make_zip(entries))
    assert "more than 20 MiB" in error.message and error.file == "samples/big-2.bin"


def test_it_refuses_an_entry_whose_header_lies_about_its_size():
    body = bytes(5 * 2**20)
    data = make_zip({**fixture_files(), "samples/bomb.bin": body})
    real = len(body).to_bytes(4, "little")
    data = data.replace(real, (10).to_bytes(4, "little"))  # both headers now claim 10 bytes
    error = refused(data)
    assert error.file == "samples/bomb.bin"


def test_it_stops_reading_as_soon_as_the_bytes_read_pass_the_limit(monkeypatch):
    reads = []
    archive = zipfile.ZipFile(io.BytesIO(make_zip({"samples/big.bin": bytes(2**20)})))
    info = archive.getinfo("samples/big.bin")
    real_open = archive.open

    def counting_open(*args, **kwargs):
        handle = real_open(*args, **kwargs)
        real_read = handle.read
        handle.read = lambda n=-1: reads.append(n) or real_read(n)
        return handle

    monkeypatch.setattr(archive, "open", counting_open)
    with pytest.raises(BundleError, match="more than 20 MiB"):
        reader._read_zip_entry(archive, info, "samples/big.bin", room=100_000)
    assert len(reads) == 2  # 64 KiB, then 128 KiB > 100,000: stopped, not read to the end


@pytest.mark.parametrize("as_zip", [True, False])
def test_it_refuses_a_script_over_the_script_limit(as_zip, tmp_path):
    files = {**fixture_files(), "processdata.js": b"//" + b"x" * MAX_SCRIPT_BYTES}
    if as_zip:
        source = make_zip(files)
    else:
        for rel, data in files.items():
            (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / rel).write_bytes(data)
        source = tmp_path
    error = refused(source)
    assert error.file == "processdata.js" and "1 MiB" in error.message


def test_it_refuses_a_declared_script_without_js_suffix_over_the_limit():
    manifest = json.loads(fixture_files()["connector.json"])
    manifest["scripts"] = {"authentication": "authentication.js", "processdata": "main.txt"}
    files = {**fixture_files(), "connector.json": json.dumps(manifest).encode(),
             "main.txt": b"x" * (MAX_SCRIPT_BYTES + 1)}
    assert refused(make_zip(files)).file == "main.txt"


# -- not a bundle at all ----------------------------------------------------------------


def test_it_refuses_bytes_that_are_not_a_zip():
    assert "not a zip file" in refused(b"just some text").message


def test_it_refuses_a_file_that_is_not_a_zip_naming_it(tmp_path):
    (tmp_path / "notes.zip").write_text("hello")
    error = refused(tmp_path / "notes.zip")
    assert "not a zip file" in error.message and error.file.endswith("notes.zip")


def test_it_refuses_an_upload_that_is_not_a_zip_naming_it():
    error = refused(SimpleUploadedFile("connector.zip", b"GIF89a..."))
    assert "not a zip file" in error.message and error.file == "connector.zip"


def test_it_refuses_a_path_that_does_not_exist(tmp_path):
    error = refused(tmp_path / "nope")
    assert "no such file or folder" in error.message and error.file.endswith("nope")


# -- connector.json ------------------------------------------------------------------


def test_it_refuses_a_bundle_without_connector_json():
    files = fixture_files()
    del files["connector.json"]
    error = refused(make_zip(files))
    assert error.file == "connector.json" and "missing" in error.message


def test_it_points_at_a_connector_json_one_folder_too_deep():
    files = fixture_files()
    entries = {"readme.txt": b"hi", **{"inner/" + k: v for k, v in files.items()}}
    assert "inner/connector.json" in refused(make_zip(entries)).message


def test_it_refuses_invalid_json_with_line_and_column():
    files = {**fixture_files(), "connector.json": b'{\n  "format": 1,\n  "name": "x",,\n}'}
    error = refused(make_zip(files))
    assert error.file == "connector.json"
    assert "not valid JSON" in error.message and "line 3, column 15" in error.message


def test_it_refuses_a_manifest_that_is_not_an_object():
    error = refused(make_zip({**fixture_files(), "connector.json": b"[1, 2]"}))
    assert error.file == "connector.json" and "JSON object" in error.message


def test_it_refuses_nan_in_the_manifest():
    manifest = fixture_files()["connector.json"].replace(b'"days": 7', b'"days": NaN')
    manifest = manifest.replace(b'"format": 1', b'"format": NaN')
    assert "NaN" in refused(make_zip({**fixture_files(), "connector.json": manifest})).message


def test_it_accepts_a_manifest_with_a_byte_order_mark():
    files = fixture_files()
    files["connector.json"] = b"\xef\xbb\xbf" + files["connector.json"]
    assert read_bundle(make_zip(files)).name == "Example Sales CRM"


def test_it_raises_the_first_manifest_error():
    manifest = json.loads(fixture_files()["connector.json"])
    manifest["auth"]["method"] = "basic"
    error = refused(make_zip({**fixture_files(), "connector.json": json.dumps(manifest).encode()}))
    assert str(error) == "connector.json: $.auth.method: must be one of none, username_password, api_key, oauth2, custom"


def test_it_refuses_a_sample_body_file_that_is_not_in_the_bundle():
    files = fixture_files()
    del files["samples/opportunities-2.csv"]
    error = refused(make_zip(files))
    assert error.json_path == "$.samples.responses[3].body_file"
    assert "samples/opportunities-2.csv" in error.message


# -- script encoding -------------------------------------------------------------------


def test_it_refuses_a_script_that_is_not_utf8_naming_its_line():
    files = {**fixture_files(), "processdata.js": b"var a = 1;\nvar b = 2;\nvar c = '\xe9t\xe9';\n"}
    error = refused(make_zip(files))
    assert error.file == "processdata.js"
    assert "not UTF-8" in error.message and "line 3" in error.message


def test_it_refuses_any_js_file_that_is_not_utf8():
    error = refused(make_zip({**fixture_files(), "lib/helpers.js": b"// \xff\n"}))
    assert error.file == "lib/helpers.js" and "line 1" in error.message


def test_it_refuses_a_discovery_script_that_is_not_utf8():
    files = fixture_files("workspaces-discovery")
    files["discovery/workspaces.js"] = b"\n\n\x80"
    error = refused(make_zip(files))
    assert error.file == "discovery/workspaces.js" and "line 3" in error.message


def test_it_accepts_non_utf8_data_files():
    bundle = read_bundle(make_zip({**fixture_files(), "samples/latin1.csv": b"caf\xe9\n"}))
    assert bundle.files["samples/latin1.csv"] == b"caf\xe9\n"
