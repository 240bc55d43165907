"""Issue 20, items 12 and 4: one glossary for the parts' names (connectors.glossary), used by
the editor's labels, the completeness list and the errors; hints that name what the editor
shows, not files or connector.json paths."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from connectors.bundle import ICONS, Bundle, missing_parts
from connectors.bundle.types import MANIFEST
from connectors.editor_forms import ConnectorEditor, ConnectorForm
from connectors.editor_formsets import AuthFieldForm, ParameterForm
from connectors.glossary import ACCOUNT_FIELD_PARTS, PARAMETER_PARTS, PARTS, in_a_sentence, known_part, part_name
from connectors.labels import ICON_LABELS
from review.engine.rules import RULES

NAMES = set(PARTS.values())
# A file name or a connector.json path in a sentence meant for the editor's user.
PATH_WORDS = re.compile(r"\$\.|connector\.json|\b[\w/-]+\.(js|png)\b|\bicons/|discovery\.script|samples\.responses|`\w+`")


def everything_missing() -> Bundle:
    """A manifest with every required part missing or wrong, and no files at all."""
    return Bundle(manifest={"auth": {"method": "oauth2", "oauth2": {"token_method": "PATCH"}},
                            "parameters": [{"name": "Workspace", "type": "discovery", "discovery": {"mode": "tree"}},
                                           {"name": "Team", "type": "discovery",
                                            "discovery": {"mode": "tree", "script": "discovery/team.js"}}]},
                  files={"processdata.js": b"  \n", ICONS["icon_with_background"][0]: b"not a png"})


def test_every_part_the_completeness_list_names_is_in_the_glossary():
    parts = missing_parts(everything_missing())
    assert {p.field for p in parts} >= {"name", "description", "hosts", "reports", "scripts.authentication",
                                        "scripts.processdata", *(f"icons.{key}" for key in ICONS),
                                        "auth.oauth2.client_id", "auth.oauth2.token_method",
                                        "parameters[0].discovery.script", "parameters[1].discovery.script"}
    for part in parts:
        assert known_part(part.field), part.field


def test_the_completeness_list_shows_the_glossarys_names_and_no_paths():
    parts = missing_parts(everything_missing())
    html = render_to_string("connectors/_missing_parts.html", {"missing": parts, "connector": {"name": "X", "pk": 1}})
    shown = re.findall(r"<strong>([^<]+)</strong>", html)
    assert len(shown) == len(parts)
    for name in shown:
        assert name in NAMES or re.fullmatch(r"(Discovery script of parameter|Parameter) \d+", name), name
    assert "Logo banner without background" in shown and "Logo without background" not in html
    for part in parts:
        assert not PATH_WORDS.search(part.message), part.message


def test_a_message_names_the_part_as_the_glossary_does():
    by_field = {p.field: p.message for p in missing_parts(everything_missing())}
    assert by_field["icons.logo_without_background"] == "Add the logo banner without background: a 1024x512 PNG."
    assert by_field["icons.icon_with_background"].startswith("The icon with background is not a PNG")
    assert by_field["scripts.authentication"] == "Write the authentication script; there is none yet."
    assert by_field["scripts.processdata"] == "The process-data script is empty; write it."
    assert by_field["auth.oauth2.client_id"] == "Add the OAuth 2.0 client ID."
    assert by_field["auth.oauth2.token_method"] == "The OAuth 2.0 token request method is 'PATCH'; choose GET or POST."
    assert 'parameter "Team"' in by_field["parameters[1].discovery.script"]


def test_the_editor_labels_its_fields_from_the_glossary():
    form = ConnectorForm()
    labelled = {"name": "name", "description": "description", "auth_method": "auth_method", "hosts": "hosts",
                "reports": "reports", **{f"oauth2_{key}": f"auth.oauth2.{key}" for key in
                                         ("client_id", "client_secret", "authorization_url", "access_token_url",
                                          "token_method", "scope", "authorization_params", "token_params")}}
    for field, part in labelled.items():
        assert form.fields[field].label == PARTS[part], field
    assert form.fields["authentication_script"].label.startswith(PARTS["scripts.authentication"])
    assert form.fields["processdata_script"].label.startswith(PARTS["scripts.processdata"])
    assert form.fields["samples"].label.startswith(PARTS["samples"])
    for key in ICONS:
        assert form.fields[f"icon_{key}"].label == ICON_LABELS[key] == PARTS[f"icons.{key}"]
    for name, label in PARAMETER_PARTS.items():
        field = ParameterForm().fields.get("discovery_source" if name == "discovery" else name)
        assert field is None or field.label == label, name
    for name, label in ACCOUNT_FIELD_PARTS.items():
        assert AuthFieldForm().fields[name].label == label


@pytest.mark.parametrize("field, name", [
    ("samples.responses[2].url", "Samples"), ("hosts[3]", "Hosts"), ("auth.fields[0].key", "Custom account fields"),
    ("parameters[1].discovery.script", "Discovery script of parameter 2"), ("parameters[0].options", "Parameter 1"),
    ("format", None), ("auth.oauth2.nonsense", None),
])
def test_a_path_inside_a_part_is_named_by_the_part(field, name):
    assert known_part(field) == name
    assert part_name(field) == (name or field)


def test_a_name_inside_a_sentence_keeps_an_acronyms_capitals():
    assert in_a_sentence("Logo banner without background") == "logo banner without background"
    assert in_a_sentence("OAuth 2.0 client ID") == "OAuth 2.0 client ID"


def test_an_editor_error_outside_a_field_names_the_part_not_the_path(db, import_connector):
    from connectors.bundle.errors import BundleError

    editor = ConnectorEditor(import_connector("sales-crm"), data={"name": "x"})
    editor.form.is_valid()
    editor._attach(BundleError("must be a list", MANIFEST, "$.scripts.processdata"))
    editor._attach(BundleError("must be 1", MANIFEST, "$.format"))
    assert editor.form.non_field_errors() == ["Process-data script: must be a list", "must be 1 ($.format)"]


def test_no_hint_names_a_file_or_a_connector_json_path():
    # review_limit and credentials name metadata.account: what the scripts read, so what the user writes.
    for rule in RULES:
        assert not PATH_WORDS.search(rule.hint), (rule.id, rule.hint)
        assert "bundle-format.md" not in rule.hint, rule.id


def test_the_samples_format_is_served_with_each_methods_account_names(client, alice):
    from connectors.labels import ACCOUNT_KEYS

    client.force_login(alice)
    body = client.get(reverse("connectors:samples_format")).content.decode()
    assert "metadata.account.apikey" in body and "key=undefined" in body
    for method, keys in ACCOUNT_KEYS.items():
        row = re.search(rf'<tr data-auth-method="{method}">(.*?)</tr>', body, re.S)[1]
        assert all(f"metadata.account.{key}" in row for key in keys), method
    assert "url_prefix" in body and "body_contains" in body


def test_the_editor_links_to_the_samples_format(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    body = client.get(reverse("connectors:edit", args=[connector.pk])).content.decode()
    assert f'href="{reverse("connectors:samples_format")}"' in body
