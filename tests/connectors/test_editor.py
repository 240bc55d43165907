"""The connector editor: every part of the draft, saved through connector_update."""

import io
import json
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from connectors import services


def _form(connector, **overrides):
    """The editor's POST as a browser sends it for `connector`, with overrides."""
    data = {
        "name": connector.name,
        "description": connector.description,
        "auth_method": connector.auth_method,
        "hosts": "\n".join(connector.hosts),
        "reports": "\n".join(connector.reports),
        "authentication_script": connector.authentication_script,
        "processdata_script": connector.processdata_script,
        "samples": json.dumps(connector.samples),
        "auth_fields-TOTAL_FORMS": "1", "auth_fields-INITIAL_FORMS": "0",
        "auth_fields-MIN_NUM_FORMS": "0", "auth_fields-MAX_NUM_FORMS": "1000",
        "parameters-TOTAL_FORMS": "1", "parameters-INITIAL_FORMS": "0",
        "parameters-MIN_NUM_FORMS": "0", "parameters-MAX_NUM_FORMS": "1000",
        "parameters-0-type": "string", "parameters-0-discovery_mode": "dropdown",
    }
    for key, value in (connector.oauth2 or {}).items():
        data[f"oauth2_{key}"] = value
    data.update(overrides)
    return data


def _png(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def test_it_shows_every_part_of_the_draft(client, alice, import_connector):
    connector = import_connector("workspaces-discovery")
    client.force_login(alice)
    response = client.get(reverse("connectors:edit", args=[connector.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert connector.name in body and "api.example-workspaces.io" in body
    assert 'value="discovery/workspaces.js"' in body  # the discovery parameter's script path
    assert "discovery.addOption" in body or "discovery." in body  # its source, editable
    assert "code-input" in body  # the scripts get the line-numbered editor
    assert body.count('src="data:image/png;base64,') == 4  # icon previews
    assert "1024x512 PNG" in body and "512x512 PNG" in body
    assert "Check now" in body and "Submit" in body


def test_it_saves_name_hosts_reports_and_scripts(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    response = client.post(reverse("connectors:edit", args=[connector.pk]), _form(
        connector, name="Renamed", hosts="crm.example-sales.com\n*.example-sales.com\n",
        reports="Opportunities\nAccounts", processdata_script="datagrid.addColumn('a', datagrid.DATA_TYPE_STRING);\n",
    ))
    assert response.status_code == 302
    connector.refresh_from_db()
    assert connector.name == "Renamed"
    assert connector.hosts == ["crm.example-sales.com", "*.example-sales.com"]
    assert connector.reports == ["Opportunities", "Accounts"]
    assert connector.processdata_script.startswith("datagrid.addColumn")


def test_it_saves_parameters_of_all_six_types(client, alice, import_connector):
    connector = import_connector("sales-crm")
    rows = [
        {"name": "Label", "type": "string", "help": "Shown on the card"},
        {"name": "Limit", "type": "integer", "required": "on"},
        {"name": "Query", "type": "text"},
        {"name": "Region", "type": "dropdown", "options": "Europe = eu\nUnited States = us"},
        {"name": "Since", "type": "date_selector"},
        {"name": "Team", "type": "discovery", "discovery_mode": "tree", "discovery_script": "discovery/team.js",
         "discovery_source": "discovery.addOption('a', 'a');\ndiscovery.publishTree();\n"},
    ]
    data = _form(connector, **{"parameters-TOTAL_FORMS": str(len(rows) + 1)})
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"parameters-{i}-{key}"] = value
        data.setdefault(f"parameters-{i}-discovery_mode", "dropdown")
    data[f"parameters-{len(rows)}-type"] = "string"
    data[f"parameters-{len(rows)}-discovery_mode"] = "dropdown"
    client.force_login(alice)
    assert client.post(reverse("connectors:edit", args=[connector.pk]), data).status_code == 302
    connector.refresh_from_db()
    assert [p["type"] for p in connector.parameters] == [
        "string", "integer", "text", "dropdown", "date_selector", "discovery"]
    assert connector.parameters[1]["required"] is True
    assert connector.parameters[3]["options"] == [{"name": "Europe", "value": "eu"},
                                                  {"name": "United States", "value": "us"}]
    assert connector.parameters[5]["discovery"] == {"mode": "tree", "script": "discovery/team.js"}
    assert bytes(connector.files.get(path="discovery/team.js").content).startswith(b"discovery.addOption")


def test_it_keeps_parameter_keys_it_has_no_field_for(client, alice, import_connector):
    connector = import_connector("sales-crm")
    services.connector_update(connector=connector, user=alice, parameters=[
        {"name": "Detail", "type": "string", "show_when": "Mode == 'detail'"}])
    client.force_login(alice)
    body = client.get(reverse("connectors:edit", args=[connector.pk])).content.decode()
    assert "show_when" in body
    data = _form(connector, **{"parameters-TOTAL_FORMS": "2", "parameters-INITIAL_FORMS": "1",
                               "parameters-0-name": "Detail", "parameters-0-type": "string",
                               "parameters-0-extra": json.dumps({"show_when": "Mode == 'detail'"}),
                               "parameters-1-type": "string"})
    client.post(reverse("connectors:edit", args=[connector.pk]), data)
    connector.refresh_from_db()
    assert connector.parameters == [{"name": "Detail", "type": "string", "show_when": "Mode == 'detail'"}]


def test_it_deletes_a_parameter_marked_delete(client, alice, import_connector):
    connector = import_connector("workspaces-discovery")
    client.force_login(alice)
    data = _form(connector, **{"parameters-TOTAL_FORMS": "2", "parameters-INITIAL_FORMS": "2",
                               "parameters-0-name": "Workspaces", "parameters-0-type": "discovery",
                               "parameters-0-discovery_mode": "tree",
                               "parameters-0-discovery_script": "discovery/workspaces.js",
                               "parameters-0-DELETE": "on",
                               "parameters-1-name": "Date range", "parameters-1-type": "date_selector",
                               "parameters-1-required": "on"})
    client.post(reverse("connectors:edit", args=[connector.pk]), data)
    connector.refresh_from_db()
    assert connector.parameters == [{"name": "Date range", "type": "date_selector", "required": True}]


def test_it_saves_custom_account_fields(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    data = _form(connector, auth_method="custom", **{
        "auth_fields-TOTAL_FORMS": "3",
        "auth_fields-0-key": "apiToken", "auth_fields-0-label": "API token", "auth_fields-0-secret": "on",
        "auth_fields-1-key": "region", "auth_fields-1-label": "Region"})
    assert client.post(reverse("connectors:edit", args=[connector.pk]), data).status_code == 302
    connector.refresh_from_db()
    assert connector.auth_method == "custom"
    assert connector.auth_fields == [{"key": "apiToken", "label": "API token", "secret": True},
                                     {"key": "region", "label": "Region", "secret": False}]


def test_it_refuses_a_custom_field_key_that_is_not_an_identifier(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    data = _form(connector, auth_method="custom", **{
        "auth_fields-TOTAL_FORMS": "1", "auth_fields-0-key": "api token", "auth_fields-0-label": "Token"})
    response = client.post(reverse("connectors:edit", args=[connector.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Key: " in body and "JavaScript identifier" in body and "$.auth" not in body
    assert "Nothing was saved" in body
    connector.refresh_from_db()
    assert connector.auth_method == "username_password"


def test_it_keeps_the_client_secret_write_only(client, alice, import_connector):
    connector = import_connector("oauth2-tasks")
    client.force_login(alice)
    url = reverse("connectors:edit", args=[connector.pk])
    client.post(url, _form(connector, oauth2_client_secret="first-secret-value", oauth2_scope="tasks:write"))
    connector.refresh_from_db()
    assert connector.oauth2_client_secret == "first-secret-value"
    assert connector.oauth2["scope"] == "tasks:write"
    body = client.get(url).content.decode()
    assert "first-secret-value" not in body
    assert "A client secret is stored." in body
    client.post(url, _form(connector, oauth2_client_secret=""))  # blank keeps the stored one
    connector.refresh_from_db()
    assert connector.oauth2_client_secret == "first-secret-value"


def test_it_shows_a_bad_host_beside_the_field_and_saves_nothing(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    response = client.post(reverse("connectors:edit", args=[connector.pk]),
                           _form(connector, name="Not saved", hosts="https://crm.example-sales.com/api"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Line 1: " in body and "must be a host only" in body and "$.hosts" not in body
    assert "Not saved" in body  # what the user typed is still in the form
    connector.refresh_from_db()
    assert connector.name == "Example Sales CRM"


def test_it_reports_invalid_samples_json_with_its_line(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    response = client.post(reverse("connectors:edit", args=[connector.pk]), _form(connector, samples='{\n "a": }'))
    assert "Not valid JSON at line 2" in response.content.decode()


def test_it_replaces_an_icon_and_refuses_one_of_the_wrong_size(client, alice, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(alice)
    url = reverse("connectors:edit", args=[connector.pk])
    wrong = SimpleUploadedFile("banner.png", _png(512, 512), content_type="image/png")
    response = client.post(url, _form(connector, icon_logo_without_background=wrong))
    body = response.content.decode()
    assert response.status_code == 200
    assert "banner.png is 512x512; it must be a 1024x512 PNG." in body
    right = SimpleUploadedFile("banner.png", _png(1024, 512), content_type="image/png")
    assert client.post(url, _form(connector, icon_logo_without_background=right)).status_code == 302
    assert bytes(connector.files.get(path="icons/logo_without_background.png").content) == _png(1024, 512)


def test_it_refuses_editing_while_a_submission_is_open(client, alice, import_connector):
    connector = import_connector("sales-crm")
    submission = services.connector_submit(connector=connector, user=alice, visibility="company")
    client.force_login(alice)
    url = reverse("connectors:edit", args=[connector.pk])
    body = client.get(url).content.decode()
    assert "cannot be edited while version 1 is submitted" in body
    assert reverse("review:status", kwargs={"pk": submission.pk}) in body
    assert "<fieldset disabled>" in body
    assert ">Save<" not in body and "Check now" not in body
    response = client.post(url, _form(connector, name="Changed"), follow=True)
    assert "cannot be edited" in response.content.decode()
    connector.refresh_from_db()
    assert connector.name == "Example Sales CRM"


def test_it_answers_404_to_outsiders(client, bob, import_connector):
    connector = import_connector("sales-crm")
    client.force_login(bob)
    url = reverse("connectors:edit", args=[connector.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _form(connector, name="Hijacked")).status_code == 404


def test_it_reads_the_drafts_files_once_per_page(client, alice, import_connector):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connector = import_connector("sales-crm")
    client.force_login(alice)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("connectors:edit", args=[connector.pk])).status_code == 200
    file_reads = [q for q in queries.captured_queries if 'FROM "connectors_connectorfile"' in q["sql"]]
    assert len(file_reads) == 1


def test_it_stores_scripts_with_lf_whatever_the_browser_sends(client, alice, import_connector):
    """Issue 20, item 2: a browser sends a textarea's lines with CRLF (the form encoding)."""
    connector = import_connector("sales-crm")
    data = _form(connector, authentication_script="var a = 1;\r\nauth.authenticationSuccess();\r\n",
                 processdata_script="var b = 2;\rdatagrid.addColumn('a', datagrid.DATA_TYPE_STRING);\r\n",
                 **{"parameters-0-name": "Team", "parameters-0-type": "discovery",
                    "parameters-0-discovery_script": "discovery/team.js",
                    "parameters-0-discovery_source": "discovery.addOption('a', 'a');\r\ndiscovery.publishTree();\r\n"})
    client.force_login(alice)
    response = client.post(reverse("connectors:edit", args=[connector.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    connector.refresh_from_db()
    assert connector.authentication_script == "var a = 1;\nauth.authenticationSuccess();\n"
    assert connector.processdata_script == "var b = 2;\ndatagrid.addColumn('a', datagrid.DATA_TYPE_STRING);\n"
    assert bytes(connector.files.get(path="discovery/team.js").content) == (
        b"discovery.addOption('a', 'a');\ndiscovery.publishTree();\n")


def test_a_wrong_icon_keeps_the_valid_ones_chosen_with_it(client, alice, import_connector):
    """Issue 20, item 3: one bad icon refused the save and lost the three valid ones."""
    import re

    connector = import_connector("sales-crm")
    client.force_login(alice)
    url = reverse("connectors:edit", args=[connector.pk])
    valid = {"icon_logo_with_background": _png(512, 512), "icon_icon_with_background": _png(512, 512),
             "icon_icon_without_background": _png(512, 512)}
    from connectors.bundle.types import ICONS

    assert set(valid) | {"icon_logo_without_background"} == {f"icon_{key}" for key in ICONS}
    uploads = {name: SimpleUploadedFile(f"{name}.png", data, content_type="image/png") for name, data in valid.items()}
    wrong = SimpleUploadedFile("banner.png", _png(512, 512), content_type="image/png")
    body = client.post(url, _form(connector, icon_logo_without_background=wrong, **uploads)).content.decode()
    assert "banner.png is 512x512" in body
    kept = dict(re.findall(r'name="kept_icon_([a-z_]+)" value="([^"]+)"', body))
    assert set(kept) == {"logo_with_background", "icon_with_background", "icon_without_background"}
    assert body.count("Kept from your last try") == 3

    right = SimpleUploadedFile("banner.png", _png(1024, 512), content_type="image/png")
    again = _form(connector, icon_logo_without_background=right, **{f"kept_icon_{k}": v for k, v in kept.items()})
    assert client.post(url, again).status_code == 302
    for name, data in valid.items():
        path = ICONS[name.removeprefix("icon_")][0]
        assert bytes(connector.files.get(path=path).content) == data


def test_a_kept_icon_is_checked_again(client, alice, import_connector):
    import base64

    connector = import_connector("sales-crm")
    client.force_login(alice)
    before = bytes(connector.files.get(path="icons/icon_with_background.png").content)
    forged = base64.b64encode(_png(10, 10)).decode()
    response = client.post(reverse("connectors:edit", args=[connector.pk]),
                           _form(connector, kept_icon_icon_with_background=forged))
    assert response.status_code == 302
    assert bytes(connector.files.get(path="icons/icon_with_background.png").content) == before


def test_it_names_the_account_values_each_sign_in_method_gives_the_scripts(client, alice, import_connector):
    """Issue 20, item 4: an API-key connector read metadata.account.key and sent key=undefined."""
    import html as html_lib

    connector = import_connector("sales-crm")
    client.force_login(alice)
    body = client.get(reverse("connectors:edit", args=[connector.pk])).content.decode()
    assert "<code>metadata.account.apikey</code> (all lower case" in body
    assert "<code>metadata.account.username</code> and <code>metadata.account.password</code>" in body
    assert "<code>metadata.account.accesstoken</code>" in body
    # The Samples box: the format in the page, and a template per method with the same names.
    assert 'href="#samples-format"' in body and 'id="samples-format"' in body
    templates = dict(re.findall(r'data-auth-method="(\w+)" data-samples-template>(.*?)</pre>', body, re.S))
    assert set(templates) == {"none", "username_password", "api_key", "oauth2", "custom"}
    api_key = json.loads(html_lib.unescape(templates["api_key"]))
    assert list(api_key["account"]) == ["apikey"] and api_key["responses"][0]["url"].startswith(
        f"https://{connector.hosts[0]}/")
    assert list(json.loads(html_lib.unescape(templates["username_password"]))["account"]) == ["username", "password"]
