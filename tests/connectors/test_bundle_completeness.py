"""missing_parts: start from complete fixtures, break one part at a time."""

import io
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from connectors.bundle import ICONS, Bundle, MissingPart, icon_problem, missing_parts, read_bundle

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "bundles"
PASSING = ["sales-crm", "oauth2-tasks", "workspaces-discovery"]


def load(name="sales-crm"):
    return read_bundle(FIXTURES / name)


def with_manifest(bundle, **changes):
    manifest = {**bundle.manifest, **changes}
    return replace(bundle, manifest={k: v for k, v in manifest.items() if v is not _DROP})


def with_files(bundle, changes):
    files = {**bundle.files}
    for path, data in changes.items():
        if data is None:
            del files[path]
        else:
            files[path] = data
    return replace(bundle, files=files)


_DROP = object()


def png(width, height, kind="PNG"):
    buffer = io.BytesIO()
    Image.new("RGBA" if kind == "PNG" else "RGB", (width, height), (10, 20, 30)).save(buffer, kind)
    return buffer.getvalue()


def only(parts):
    assert len(parts) == 1, parts
    return parts[0]


@pytest.mark.parametrize("name", PASSING)
def test_it_finds_nothing_missing_in_complete_fixtures(name):
    assert missing_parts(load(name)) == []


@pytest.mark.parametrize("name", [None, "", "   "])
def test_it_asks_for_a_name(name):
    part = only(missing_parts(with_manifest(load(), name=name)))
    assert part == MissingPart("name", "Add a name (1 to 100 characters).", "connector.json", "$.name")


def test_it_asks_for_a_shorter_name():
    part = only(missing_parts(with_manifest(load(), name="x" * 101)))
    assert part.field == "name" and "101 characters" in part.message


@pytest.mark.parametrize("description", [_DROP, None, "", " \n"])
def test_it_asks_for_a_description(description):
    part = only(missing_parts(with_manifest(load(), description=description)))
    assert part == MissingPart("description", "Add a description (up to 2,000 characters).",
                               "connector.json", "$.description")


def test_it_asks_for_a_shorter_description():
    part = only(missing_parts(with_manifest(load(), description="x" * 2001)))
    assert part.field == "description" and "2,001 characters" in part.message


@pytest.mark.parametrize("hosts", [_DROP, [], "api.example.com"])
def test_it_asks_for_a_host(hosts):
    part = only(missing_parts(with_manifest(load(), hosts=hosts)))
    assert part.field == "hosts" and part.json_path == "$.hosts" and "at least one host" in part.message


@pytest.mark.parametrize("reports", [_DROP, []])
def test_it_asks_for_a_report(reports):
    part = only(missing_parts(with_manifest(load(), reports=reports)))
    assert part.field == "reports" and "at least one report" in part.message


@pytest.mark.parametrize("role, path", [("authentication", "authentication.js"), ("processdata", "processdata.js")])
def test_it_asks_for_each_missing_script(role, path):
    part = only(missing_parts(with_files(load(), {path: None})))
    assert part.field == f"scripts.{role}" and part.file == path
    assert part.message == ("Write the authentication script; there is none yet." if role == "authentication"
                            else "Write the process-data script; there is none yet.")


@pytest.mark.parametrize("role, path", [("authentication", "authentication.js"), ("processdata", "processdata.js")])
def test_it_asks_to_fill_a_blank_script(role, path):
    part = only(missing_parts(with_files(load(), {path: b"  \n\t\n"})))
    assert part.field == f"scripts.{role}" and part.message == "The " + (
        "authentication" if role == "authentication" else "process-data") + " script is empty; write it."


def test_it_follows_script_paths_named_in_the_manifest():
    bundle = load()
    moved = with_manifest(bundle, scripts={"processdata": "src/main.js"})
    moved = with_files(moved, {"processdata.js": None})
    part = only(missing_parts(moved))
    assert (part.field, part.file, part.json_path) == ("scripts.processdata", "src/main.js", "$.scripts.processdata")
    assert missing_parts(with_files(moved, {"src/main.js": bundle.files["processdata.js"]})) == []


def test_it_asks_for_a_missing_discovery_script():
    part = only(missing_parts(with_files(load("workspaces-discovery"), {"discovery/workspaces.js": None})))
    assert part.field == "parameters[0].discovery.script"
    assert part.file == "discovery/workspaces.js" and part.json_path == "$.parameters[0].discovery.script"
    assert 'parameter "Workspaces"' in part.message


def test_it_asks_to_fill_a_blank_discovery_script():
    part = only(missing_parts(with_files(load("workspaces-discovery"), {"discovery/workspaces.js": b""})))
    assert part.field == "parameters[0].discovery.script" and "is empty" in part.message


def test_it_asks_to_name_a_discovery_script():
    bundle = load("workspaces-discovery")
    params = [dict(p) for p in bundle.manifest["parameters"]]
    params[0]["discovery"] = {"mode": "tree"}
    part = only(missing_parts(with_manifest(bundle, parameters=params)))
    assert part.field == "parameters[0].discovery.script" and part.file == "connector.json"


@pytest.mark.parametrize("key", list(ICONS))
def test_it_asks_for_each_missing_icon(key):
    path, width, height = ICONS[key]
    part = only(missing_parts(with_files(load(), {path: None})))
    name = key.replace("_", " ").replace("logo without", "logo banner without")
    assert part == MissingPart(f"icons.{key}", f"Add the {name}: a {width}x{height} PNG.", path, None)


def test_it_names_an_icon_of_the_wrong_size():
    path = ICONS["logo_without_background"][0]
    part = only(missing_parts(with_files(load(), {path: png(512, 512)})))
    assert part.field == "icons.logo_without_background"
    assert part.message == "The logo banner without background is 512x512; it must be a 1024x512 PNG."


@pytest.mark.parametrize("data", [b"not an image", b"\x89PNG\r\n\x1a\n" + b"\0" * 40], ids=["text", "corrupt"])
def test_it_refuses_an_icon_that_is_not_a_png(data):
    part = only(missing_parts(with_files(load(), {"icons/icon_with_background.png": data})))
    assert part.field == "icons.icon_with_background" and "is not a PNG" in part.message


def test_it_refuses_a_jpeg_renamed_png():
    part = only(missing_parts(with_files(load(), {"icons/icon_with_background.png": png(512, 512, "JPEG")})))
    assert part.message == ("The icon with background is not a PNG (it is a JPEG image); "
                            "it must be a 512x512 PNG.")


def test_it_refuses_a_truncated_png():
    data = png(512, 512)
    assert "is not a PNG" in icon_problem("icon_with_background", data[: len(data) // 2])


def test_icon_problem_is_none_for_a_good_icon():
    assert icon_problem("icon_with_background", png(512, 512)) is None
    assert icon_problem("logo_without_background", png(1024, 512)) is None


def oauth2_without(key):
    bundle = load("oauth2-tasks")
    details = {k: v for k, v in bundle.manifest["auth"]["oauth2"].items() if k != key}
    return with_manifest(bundle, auth={"method": "oauth2", "oauth2": details})


@pytest.mark.parametrize("key", ["client_id", "authorization_url", "access_token_url", "token_method"])
def test_it_asks_for_each_required_oauth2_detail(key):
    part = only(missing_parts(oauth2_without(key)))
    assert part.field == f"auth.oauth2.{key}" and part.json_path == f"$.auth.oauth2.{key}"
    assert part.message.startswith(("Add the OAuth 2.0", "Choose the OAuth 2.0 token request method"))


@pytest.mark.parametrize("key", ["scope", "authorization_params", "token_params"])
def test_it_does_not_require_optional_oauth2_details(key):
    assert missing_parts(oauth2_without(key)) == []


def test_it_asks_for_every_oauth2_detail_when_there_are_none():
    bundle = with_manifest(load("oauth2-tasks"), auth={"method": "oauth2"})
    assert [p.field for p in missing_parts(bundle)] == [
        "auth.oauth2.client_id", "auth.oauth2.authorization_url",
        "auth.oauth2.access_token_url", "auth.oauth2.token_method"]


def test_it_refuses_an_unknown_token_method():
    bundle = load("oauth2-tasks")
    details = {**bundle.manifest["auth"]["oauth2"], "token_method": "PUT"}
    part = only(missing_parts(with_manifest(bundle, auth={"method": "oauth2", "oauth2": details})))
    assert part.field == "auth.oauth2.token_method" and "GET or POST" in part.message


def test_it_lists_everything_missing_from_an_empty_draft_without_raising():
    parts = missing_parts(Bundle(manifest={"parameters": [None, {"type": "discovery"}], "scripts": "x"}))
    assert [p.field for p in parts] == [
        "name", "description", "hosts", "reports", "auth.method", "scripts.authentication", "scripts.processdata",
        "parameters[1]", "parameters[1].discovery.script", *(f"icons.{key}" for key in ICONS)]
