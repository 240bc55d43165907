"""Reading Domo Connector Dev Studio's own layout (its GitHub sync) as a bundle."""

import io
import json
import zipfile
from pathlib import Path

import pytest

from connectors.bundle.errors import BundleError
from connectors.bundle.importer import DEVSTUDIO, OURS, import_bundle
from connectors.bundle.reader import read_bundle
from connectors.bundle.types import MAX_SCRIPT_BYTES

EXPORT = Path(__file__).parents[1] / "fixtures" / "devstudio" / "aws-copy"
# Stored account values as the IDE keeps them; none may survive the import anywhere.
STORED = {
    "userName": "stored-user-4711",
    "password": "Stored-Passw0rd-4711",
    "apiKey": "stored-apikey-4711",
    "clientSecret": "stored-client-secret-4711",
    "oauthUserName": "stored-oauth-user-4711",
    "oauthPassword": "stored-oauth-pass-4711",
    "domoClientSecret": "key1::DOMO::c3RvcmVkLWVuY3J5cHRlZC00NzEx",
}


def _export_files(**changes):
    """The fixture export as {name: bytes}: every key changed in connector.json and in the
    section that holds it (authentication keys go to authenticationSection.json)."""
    files = {path.name: path.read_bytes() for path in EXPORT.iterdir()}
    auth_keys = set(json.loads(files["authenticationSection.json"])) | set(STORED)
    for name in [n for n in files if n.endswith(".json")]:
        data = json.loads(files[name])
        for key, value in changes.items():
            if name == "connector.json" or key in data or (name == "authenticationSection.json" and key in auth_keys):
                data[key] = value
        files[name] = json.dumps(data).encode()
    return files


def _zip(files, top=""):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(top + name, data)
    return buffer.getvalue()


def _all_bytes(imported):
    return b"".join(imported.bundle.files.values()) + json.dumps(imported.bundle.manifest).encode()


def test_it_imports_a_real_dev_studio_export():
    imported = import_bundle(EXPORT)
    bundle = imported.bundle
    assert imported.source_format == DEVSTUDIO
    assert bundle.manifest["name"] == "AWS Copy"
    assert bundle.manifest["auth"] == {"method": "none"}
    assert bundle.manifest["reports"] == ["Test"]
    assert [(p["name"], p["type"]) for p in bundle.manifest["parameters"]] == [
        ("firstname", "string"), ("lastname", "string"), ("roll", "integer"), ("text1", "text"),
        ("start", "date_selector"), ("drop", "dropdown"),
    ]
    assert bundle.manifest["parameters"][-1]["options"] == [{"name": "op1", "value": "op1"},
                                                             {"name": "op2", "value": "op2"}]
    assert bundle.manifest["samples"] == {"days": 7}
    assert bundle.manifest["hosts"] == ["s3.us-east-1.amazonaws.com"]
    source = json.loads((EXPORT / "processDataSection.json").read_text())["processData"]
    assert bundle.text("processdata.js") == source
    assert "auth.authenticationSuccess()" in bundle.text("authentication.js")
    assert bundle.files["icons/logo_without_background.png"] == (EXPORT / "logoWithoutBackground.png").read_bytes()
    assert sorted(bundle.files) == [
        "authentication.js", "icons/icon_with_background.png", "icons/icon_without_background.png",
        "icons/logo_with_background.png", "icons/logo_without_background.png", "processdata.js",
    ]


def test_it_says_what_the_real_export_lost():
    notes = "\n".join(import_bundle(EXPORT).notes)
    assert "domoClientSecret" in notes and "never carries credentials" in notes
    assert "additionalInfo" in notes
    assert "testingProfiles" in notes
    assert "publishPrivate" in notes
    assert "s3.us-east-1.amazonaws.com" in notes
    assert "Recorded API responses: a Dev Studio export has none" in notes
    assert "RkFLRS1" not in notes  # the encrypted value itself is never repeated


def test_it_never_imports_stored_account_values_and_says_which_were_dropped():
    fields = [{"label": "Instance", "value": "stored-instance-4711", "type": "text"},
              {"label": "Access Token", "value": "stored-token-4711", "type": "password"}]
    imported = import_bundle(_zip(_export_files(type="custom", customAccountFields=fields, **STORED)))
    everything = _all_bytes(imported) + "\n".join(imported.notes).encode()
    for value in [*STORED.values(), "stored-instance-4711", "stored-token-4711"]:
        assert value.encode() not in everything
    assert "samples" not in imported.bundle.manifest or "account" not in imported.bundle.manifest["samples"]
    dropped = imported.notes[0]
    for key in (*STORED, "customAccountFields values"):
        assert key in dropped


def test_it_treats_masked_stored_values_as_stored():
    imported = import_bundle(_zip(_export_files(type="basic", userName="****", password="****")))
    assert imported.bundle.manifest["auth"] == {"method": "username_password"}
    assert "userName" in imported.notes[0] and "password" in imported.notes[0]
    assert b"****" not in _all_bytes(imported)


@pytest.mark.parametrize("code,method", [
    ("none", "none"), ("basic", "username_password"), ("api", "api_key"), ("oauth2", "oauth2"),
    (None, ""), ("", ""),  # never chosen in the IDE: left open for the completeness list (test_devstudio_drafts.py)
])
def test_it_maps_the_authentication_type(code, method):
    assert import_bundle(_zip(_export_files(type=code))).bundle.manifest["auth"]["method"] == method


def test_it_maps_oauth2_settings_but_never_the_client_secret():
    imported = import_bundle(_zip(_export_files(
        type="oauth2", clientKey="client-id-1", clientSecret="stored-client-secret-4711",
        authorizationURL="https://login.example.com/authorize", accessTokenURL="https://login.example.com/token",
        accesstokenMethod="post", scope="read", additionalParameters="response_type=code",
        tokenAddlParams="grant_type=authorization_code",
    )))
    assert imported.bundle.manifest["auth"]["oauth2"] == {
        "client_id": "client-id-1", "authorization_url": "https://login.example.com/authorize",
        "access_token_url": "https://login.example.com/token", "token_method": "POST", "scope": "read",
        "authorization_params": "response_type=code", "token_params": "grant_type=authorization_code",
    }
    assert b"stored-client-secret-4711" not in _all_bytes(imported)


def test_it_turns_custom_account_fields_into_auth_fields():
    fields = [{"label": None, "value": None, "type": None},
              {"label": "instance", "value": "x", "type": "text"},
              {"label": "Access Token", "value": "y", "type": "password"},
              {"label": "access token", "value": "z", "type": "Password"}]
    imported = import_bundle(_zip(_export_files(type="custom", customAccountFields=fields)))
    assert imported.bundle.manifest["auth"]["fields"] == [
        {"key": "instance", "label": "instance", "secret": False},
        {"key": "accessToken", "label": "Access Token", "secret": True},
        {"key": "accessToken2", "label": "access token", "secret": True},
    ]
    assert any("metadata.account.accessToken" in note for note in imported.notes)


def test_it_turns_a_discovery_command_into_a_script():
    param = {"name": "Work spaces", "type": "discovery", "order": 0, "required": True, "helpText": "Pick",
             "command": {"name": "Work spaces", "code": "discovery.addOption('a', 'A');", "type": "tree"}}
    imported = import_bundle(_zip(_export_files(parameters=[param])))
    assert imported.bundle.manifest["parameters"] == [{
        "name": "Work spaces", "type": "discovery", "required": True, "help": "Pick",
        "discovery": {"mode": "tree", "script": "discovery/work-spaces.js"},
    }]
    assert imported.bundle.text("discovery/work-spaces.js") == "discovery.addOption('a', 'A');"


def test_it_keeps_the_order_the_ide_gave_parameters():
    params = [{"name": "b", "type": "string", "order": 2}, {"name": "a", "type": "string", "order": -1},
              {"name": "c", "type": "string", "order": None}]
    imported = import_bundle(_zip(_export_files(parameters=params)))
    assert [p["name"] for p in imported.bundle.manifest["parameters"]] == ["a", "b", "c"]


def test_it_reads_a_zip_with_one_top_folder_and_the_sections_alone():
    files = {name: data for name, data in _export_files().items() if name != "connector.json"}
    imported = import_bundle(_zip(files, top="MyConnector-main/"))
    assert imported.source_format == DEVSTUDIO
    assert imported.bundle.manifest["name"] == "AWS Copy"
    assert imported.bundle.text("processdata.js")


def test_it_says_when_a_section_disagrees_with_connector_json():
    files = _export_files()
    files["processDataSection.json"] = json.dumps({"processData": "datagrid.endRow();"}).encode()
    imported = import_bundle(_zip(files))
    assert imported.bundle.text("processdata.js") == "datagrid.endRow();"
    assert any("processData differs between connector.json and processDataSection.json" in n for n in imported.notes)


@pytest.mark.parametrize("change,file,path,words", [
    ({"name": None}, "uiMetaData.json", "$.name", "no connector name"),
    ({"parameters": [{"name": "x", "type": "slider"}]}, "uiMetaData.json", "$.parameters[0].type", "parameter type"),
    ({"parameters": [{"name": "x", "type": "discovery", "command": "list()"}]}, "uiMetaData.json",
     "$.parameters[0].command", "discovery command"),
    ({"reports": "Test"}, "uiMetaData.json", "$.reports", "list of report names"),
    ({"processData": 12}, "processDataSection.json", "$.processData", "must be a string"),
])
def test_it_refuses_what_it_cannot_read_and_says_where(change, file, path, words):
    files = _export_files()
    for name in ("connector.json", file):
        data = json.loads(files[name])
        data.update(change)
        files[name] = json.dumps(data).encode()
    with pytest.raises(BundleError) as caught:
        import_bundle(_zip(files))
    assert (caught.value.file, caught.value.json_path) == (file, path)
    assert words in caught.value.message


def test_it_names_the_section_that_is_not_json():
    files = _export_files()
    files["uiMetaData.json"] = b"{nope"
    with pytest.raises(BundleError) as caught:
        import_bundle(_zip(files))
    assert caught.value.file == "uiMetaData.json" and "not valid JSON" in caught.value.message


def test_it_checks_the_converted_bundle_and_says_it_was_converted():
    with pytest.raises(BundleError) as caught:
        import_bundle(_zip(_export_files(parameters=[{"name": "Region", "type": "dropdown", "options": []}])))
    assert caught.value.json_path == "$.parameters[0].options"
    assert "converted from the Dev Studio export" in caught.value.message


def test_it_holds_a_script_from_json_to_the_script_limit():
    with pytest.raises(BundleError) as caught:
        import_bundle(_zip(_export_files(processData="x" * (MAX_SCRIPT_BYTES + 1))))
    assert caught.value.file == "processdata.js" and "limit for a script" in caught.value.message


def test_it_reads_our_own_bundles_exactly_as_before(bundles_dir):
    imported = import_bundle(bundles_dir / "sales-crm")
    assert imported.source_format == OURS and imported.notes == ()
    assert imported.bundle == read_bundle(bundles_dir / "sales-crm")


@pytest.mark.parametrize("change", [
    {"type": ["basic"]},
    {"type": {"a": 1}},
    {"parameters": [{"name": "x", "type": {"a": 1}}]},
    {"parameters": [{"name": {"x": 1}, "type": "dropdown", "options": "abc"}]},
    {"parameters": "all of them"},
    {"customAccountFields": {"label": "x"}, "type": "custom"},
    {"reports": [1, 2]},
    {"days": "seven", "description": 12},
])
def test_odd_shapes_give_a_bundle_error_never_a_crash(change):
    try:
        import_bundle(_zip(_export_files(**change)))
    except BundleError as error:
        assert error.message
    # a shape the converter can ignore (days as text) simply imports


def test_it_refuses_more_discovery_scripts_than_a_bundle_may_hold():
    params = [{"name": f"p{i}", "type": "discovery", "command": {"code": "1;", "type": "dropdown"}}
              for i in range(600)]
    with pytest.raises(BundleError) as caught:
        import_bundle(_zip(_export_files(parameters=params)))
    assert "more than 500 files" in caught.value.message
