"""Issue 20, item 9: a Dev Studio import says what it did in one grouped summary, keeps
an unfinished IDE connector as a draft with the completeness list, and refuses only
what cannot be read."""

import json

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from connectors import services
from connectors.bundle import import_notes
from connectors.bundle.import_notes import CONVERTED, DROPPED, GROUPS, NOT_EXPRESSIBLE, ImportNote, grouped
from connectors.bundle.importer import DEVSTUDIO, import_bundle
from connectors.models import Connector
from tests.connectors.test_devstudio_import import EXPORT, _export_files, _zip


def _set(files, name, **changes):
    data = json.loads(files[name])
    data.update(changes)
    files[name] = json.dumps(data).encode()


def _everything_export():
    """One export that makes every kind of note: each must land in exactly one group."""
    fields = [{"label": "Access Token", "value": "stored-token-4711", "type": "password"}]
    files = _export_files(type="custom", customAccountFields=fields, password="Stored-Passw0rd-4711",
                          connectorType="dataflow", colour="blue")
    _set(files, "connector.json", clientKey="stored-client-id-4711")
    files["processDataSection.json"] = json.dumps({"processData": "datagrid.endRow();"}).encode()
    files["accountSection.json"] = b"{}"
    return files


# What each kind of note says, and the one group it belongs in.
KINDS = {
    "custom field key": ("metadata.account.accessToken", CONVERTED),
    "section differs": ("processData differs between connector.json and processDataSection.json", CONVERTED),
    "hosts": ("Hosts", CONVERTED),
    "stored password": ("password", DROPPED),
    "custom field values": ("customAccountFields values", DROPPED),
    "client key outside OAuth": ("clientKey", DROPPED),
    "stored Domo secret": ("domoClientSecret", DROPPED),
    "additional info": ("additionalInfo", DROPPED),
    "testing profiles": ("testingProfiles", NOT_EXPRESSIBLE),
    "visibility": ("publishPrivate", NOT_EXPRESSIBLE),
    "connector type": ("connectorType 'dataflow'", NOT_EXPRESSIBLE),
    "unknown key": ("colour", NOT_EXPRESSIBLE),
    "unknown file": ("accountSection.json", NOT_EXPRESSIBLE),
    "no samples": ("Recorded API responses", NOT_EXPRESSIBLE),
}


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_note_lands_in_exactly_one_group(kind):
    words, group = KINDS[kind]
    notes = import_bundle(_zip(_everything_export())).grouped_notes
    holding = {note.group for note in notes if words in note.text}
    assert holding == {group}, f"{kind}: {[(n.group, n.text) for n in notes if words in n.text]}"


def test_missing_icons_and_no_hosts_are_converted_notes_too():
    files = _export_files(authCodeText="auth.authenticationSuccess();", processData="datagrid.endRow();")
    del files["logoWithBackground.png"]
    notes = import_bundle(_zip(files)).grouped_notes
    assert [n.group for n in notes if "logoWithBackground.png" in n.text] == [CONVERTED]
    assert [n.group for n in notes if "scripts name none" in n.text] == [CONVERTED]


def test_the_groups_hold_every_note_once_in_a_fixed_order():
    notes = import_bundle(_zip(_everything_export())).grouped_notes
    groups = grouped(notes)
    assert [group for group, _title, _notes in groups] == list(GROUPS)
    assert sorted(map(id, (n for _g, _t, members in groups for n in members))) == sorted(map(id, notes))


def test_a_dropped_credential_is_never_also_said_to_be_used():
    # The IDE wrote two different stored passwords and custom field values into two files:
    # the old import said "dropped" in one box and "the value in ... was used" in another.
    files = _export_files(type="custom", customAccountFields=[{"label": "Token", "value": "one", "type": "password"}])
    _set(files, "connector.json", password="stored-one-4711", oauthPassword="stored-two-4711",
         customAccountFields=[{"label": "Token", "value": "other", "type": "password"}])
    _set(files, "authenticationSection.json", password="stored-three-4711", oauthPassword="")
    imported = import_bundle(_zip(files))
    notes = imported.grouped_notes
    for key in ("password", "oauthPassword", "customAccountFields"):
        about = [note for note in notes if key in note.text]
        assert about and {note.group for note in about} == {DROPPED}, key
        assert not any("was used" in note.text for note in about)
    password = next(note for note in notes if note.key == "password")
    assert password.where == "connector.json, authenticationSection.json"  # both files that held one
    oauth_password = next(note for note in notes if note.key == "oauthPassword")
    assert oauth_password.where == "connector.json"  # an empty value later does not hide it
    text = "\n".join(imported.notes)
    assert "stored-one-4711" not in text and "stored-three-4711" not in text


def test_an_imported_value_that_differs_is_still_reported_as_used():
    files = _export_files()
    _set(files, "uiMetaData.json", reports=["Test", "Other"])
    notes = import_bundle(_zip(files)).grouped_notes
    assert [n.group for n in notes if "reports differs" in n.text] == [CONVERTED]


def test_credentials_cut_from_oauth_settings_are_dropped_one_note_per_key():
    imported = import_bundle(_zip(_export_files(
        type="oauth2", clientKey="client-id-1", authorizationURL="https://login.example.com/authorize",
        accessTokenURL="https://login.example.com/token?client_secret=url-secret-4711",
        accesstokenMethod="post", tokenAddlParams="grant_type=authorization_code&client_secret=tok-secret-4711",
    )))
    dropped = [(n.key, n.where) for n in imported.grouped_notes if n.group == DROPPED]
    assert ("?client_secret", "the OAuth 2.0 setting access_token_url") in dropped
    assert ("client_secret", "the OAuth 2.0 setting token_params") in dropped
    assert not any("clientKey" in note.text for note in imported.grouped_notes)  # the client ID is imported


def test_the_flat_notes_for_the_api_still_name_every_dropped_key_first():
    imported = import_bundle(EXPORT)
    assert imported.notes[0].startswith("Dropped the stored credentials in domoClientSecret")
    assert len(imported.notes) == len([n for n in imported.grouped_notes if n.group != DROPPED]) + 1


def test_a_note_must_name_a_known_group():
    with pytest.raises(ValueError):
        ImportNote("maybe", "text")
    assert import_notes.dropped("apiKey", "x.json").text == "apiKey (x.json)"


# -- unfinished Dev Studio connectors become drafts -------------------------------------------

def _no_auth_type(files):
    _set(files, "connector.json", type=None)
    _set(files, "authenticationSection.json", type=None)


def _unnamed_parameter(files):
    for name in ("connector.json", "uiMetaData.json"):
        data = json.loads(files[name])
        data["parameters"][2]["name"] = None  # "roll", an integer
        files[name] = json.dumps(data).encode()


def _discovery_without_code(files):
    param = {"name": "Buckets", "type": "discovery", "order": 99, "required": True, "helpText": "Pick one",
             "command": {"name": "Buckets", "code": None, "type": "tree"}}
    for name in ("connector.json", "uiMetaData.json"):
        data = json.loads(files[name])
        data["parameters"].append(param)
        files[name] = json.dumps(data).encode()


INCOMPLETE = {
    "no auth type chosen": (_no_auth_type, "auth.method", "Authentication method"),
    "a parameter without a name": (_unnamed_parameter, "parameters[2]", "Parameter 3"),
    "discovery without code": (_discovery_without_code, "parameters[6].discovery.script", "Discovery script of parameter 7"),
}


def _upload(client, files, name="unfinished.zip"):
    return client.post(reverse("connectors:upload"),
                       {"bundle": SimpleUploadedFile(name, _zip(files), content_type="application/zip")})


@pytest.mark.parametrize("kind", INCOMPLETE)
def test_an_unfinished_export_is_imported_as_a_draft_with_the_completeness_list(kind, client, alice, acme):
    breaks, field, label = INCOMPLETE[kind]
    complete = services.connector_import_bundle(company=acme, user=alice, source=_zip(_export_files()))
    files = _export_files()
    breaks(files)
    client.force_login(alice)
    response = _upload(client, files)
    draft = Connector.objects.exclude(pk=complete.pk).get()
    assert response["Location"] == reverse("connectors:edit", args=[draft.pk])
    missing = {part.field for part in services.connector_missing_parts(draft)}
    assert field in missing and field not in {p.field for p in services.connector_missing_parts(complete)}
    # Nothing lost: everything but the hole is what the complete export gives.
    for column in ("description", "hosts", "reports", "samples", "authentication_script", "processdata_script"):
        assert getattr(draft, column) == getattr(complete, column), column
    assert sorted(draft.files.values_list("path", flat=True)) == sorted(complete.files.values_list("path", flat=True))
    # One message: the grouped summary, with the same list the editor's completeness check shows.
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(shown) == 1
    assert "Saved as a draft" in shown[0] and f'data-field="{field}"' in shown[0] and label in shown[0]
    assert client.get(reverse("connectors:edit", args=[draft.pk])).status_code == 200


def test_no_auth_type_leaves_the_choice_open_in_the_editor(client, alice, acme):
    files = _export_files()
    _no_auth_type(files)
    client.force_login(alice)
    _upload(client, files)
    draft = Connector.objects.get()
    assert draft.auth_method == ""
    page = client.get(reverse("connectors:edit", args=[draft.pk])).content.decode()
    assert '<option value="" selected>Choose one</option>' in page
    # An unknown type is said in the summary and left open just the same.
    files = _export_files(type="kerberos")
    imported = import_bundle(_zip(files))
    assert imported.bundle.manifest["auth"] == {"method": ""}
    assert [n.group for n in imported.grouped_notes if "'kerberos'" in n.text] == [NOT_EXPRESSIBLE]


def test_an_unnamed_parameter_keeps_everything_else_it_had():
    files = _export_files()
    _unnamed_parameter(files)
    params = import_bundle(_zip(files)).bundle.manifest["parameters"]
    assert params[2] == {"name": "", "type": "integer"}
    assert [p["name"] for p in params] == ["firstname", "lastname", "", "text1", "start", "drop"]


def test_a_blank_parameter_name_is_no_name_either():
    params = [{"name": "  ", "type": "string"}, {"name": "", "type": "text"}, {"name": "parameter 2", "type": "string"}]
    imported = import_bundle(_zip(_export_files(parameters=params)))
    assert [p["name"] for p in imported.bundle.manifest["parameters"]] == ["", "", "parameter 2"]


def test_a_discovery_parameter_without_code_keeps_its_mode_and_says_where_to_write_it():
    files = _export_files()
    _discovery_without_code(files)
    imported = import_bundle(_zip(files))
    assert imported.bundle.manifest["parameters"][-1] == {
        "name": "Buckets", "type": "discovery", "required": True, "help": "Pick one",
        "discovery": {"mode": "tree", "script": "discovery/buckets.js"},
    }
    assert "discovery/buckets.js" not in imported.bundle.files
    assert any("discovery/buckets.js" in n.text and n.group == CONVERTED for n in imported.grouped_notes)


def test_the_three_holes_together_still_import(acme, alice):
    files = _export_files()
    for breaks, _field, _label in INCOMPLETE.values():
        breaks(files)
    connector = services.connector_import_bundle(company=acme, user=alice, source=_zip(files))
    assert {"auth.method", "parameters[2]", "parameters[6].discovery.script"} <= {
        p.field for p in services.connector_missing_parts(connector)}
    assert connector.import_format == DEVSTUDIO


# -- what cannot be read is refused, and nothing is created ----------------------------------

@pytest.mark.parametrize("name,data,words", [
    ("uiMetaData.json", b'{"name": "AWS Copy",', "uiMetaData.json: is not valid JSON"),
    ("authenticationSection.json", b"\xff\xfe{}", "authenticationSection.json: is not UTF-8 text"),
    ("processDataSection.json", b'["not", "an", "object"]', "processDataSection.json at $: must hold a JSON object"),
])
def test_an_unreadable_export_is_refused_saying_what_and_where_and_nothing_is_created(
        client, alice, acme, name, data, words):
    files = _export_files()
    files[name] = data
    client.force_login(alice)
    response = client.post(reverse("connectors:upload"),
                           {"bundle": SimpleUploadedFile("broken.zip", _zip(files))}, follow=True)
    body = response.content.decode().replace("&#x27;", "'")
    assert f"broken.zip was not imported: {words}" in body
    assert "Traceback" not in body
    assert not Connector.objects.exists()


def test_a_bundle_of_ours_still_says_only_that_it_was_imported(client, alice, acme, bundles_dir):
    from tests.connectors.test_upload import _zip as zip_folder

    client.force_login(alice)
    response = _upload_ours = client.post(reverse("connectors:upload"), {
        "bundle": SimpleUploadedFile("crm.zip", zip_folder(bundles_dir / "sales-crm"))})
    assert [str(m) for m in get_messages(_upload_ours.wsgi_request)] == ["crm.zip was imported as Example Sales CRM."]
    assert response.status_code == 302


def test_a_draft_with_no_auth_type_goes_back_to_dev_studio_with_none_chosen(acme, alice):
    from connectors.bundle.devstudio_export import devstudio_sections
    from connectors.conversion import connector_as_bundle

    files = _export_files()
    _no_auth_type(files)
    connector = services.connector_import_bundle(company=acme, user=alice, source=_zip(files))
    assert devstudio_sections(connector_as_bundle(connector))["authenticationSection.json"]["type"] is None


def test_saving_the_draft_without_choosing_the_method_asks_for_it(client, alice, acme):
    from tests.connectors.test_editor import _form

    files = _export_files()
    _no_auth_type(files)
    connector = services.connector_import_bundle(company=acme, user=alice, source=_zip(files))
    client.force_login(alice)
    url = reverse("connectors:edit", args=[connector.pk])
    response = client.post(url, _form(connector, **{"parameters-TOTAL_FORMS": "0"}))
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    connector.refresh_from_db()
    assert connector.auth_method == ""  # nothing was picked for the developer
    assert client.post(url, _form(connector, auth_method="none", **{"parameters-TOTAL_FORMS": "0"})).status_code == 302
    connector.refresh_from_db()
    assert connector.auth_method == "none"
