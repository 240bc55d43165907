"""validate_manifest: each structural rule of bundle-format.md fails and passes."""

import copy
import json
from pathlib import Path

import pytest

from connectors.bundle import BundleError, validate_manifest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "bundles"
SAMPLE_FILES = {"samples/opportunities-0.csv": b"", "samples/opportunities-1.csv": b"",
                "samples/opportunities-2.csv": b""}


def base():
    """The sales-crm manifest with one of each optional part added."""
    m = json.loads((FIXTURES / "sales-crm" / "connector.json").read_text())
    m["parameters"] = [
        {"name": "Region", "type": "dropdown", "required": True, "help": "Data region",
         "options": [{"name": "Europe", "value": "eu"}, {"name": "United States", "value": "us"}]},
        {"name": "Since", "type": "date_selector", "show_when": "Region"},
        {"name": "Workspace", "type": "discovery",
         "discovery": {"mode": "dropdown", "script": "discovery/workspace.js"}},
    ]
    m["scripts"] = {"authentication": "authentication.js", "processdata": "processdata.js"}
    m["samples"]["days"] = 7
    return m


def changed(edit):
    m = base()
    edit(m)
    return m


def errors_of(m, files=None):
    return [(e.json_path, e.message) for e in validate_manifest(m, files)]


def test_it_accepts_every_fixture_manifest():
    for folder in FIXTURES.iterdir():
        if (folder / "connector.json").exists():
            files = {p.relative_to(folder).as_posix(): b"" for p in folder.rglob("*") if p.is_file()}
            assert validate_manifest(json.loads((folder / "connector.json").read_text()), files) == []


def test_it_accepts_the_base_manifest():
    assert validate_manifest(base(), SAMPLE_FILES) == []


def test_it_returns_bundle_errors_naming_connector_json():
    (error,) = validate_manifest(changed(lambda m: m["auth"].update(method="basic")))
    assert isinstance(error, BundleError)
    assert error.file == "connector.json" and error.json_path == "$.auth.method"
    assert str(error) == "connector.json: $.auth.method: must be one of none, username_password, api_key, oauth2, custom"


def test_it_refuses_a_manifest_that_is_not_an_object():
    assert errors_of([1])[0][0] == "$"


def _set(path, value):
    def edit(m):
        target = m
        for key in path[:-1]:
            target = target[key]
        if value is _DELETE:
            del target[path[-1]]
        else:
            target[path[-1]] = value
    return edit


_DELETE = object()

# (what changes, the JSON path of the error, words the message holds)
FAILING = [
    (("format",), _DELETE, "$.format", "missing"),
    (("format",), 2, "$.format", "must be 1"),
    (("format",), "1", "$.format", "must be 1"),
    (("format",), True, "$.format", "must be 1"),
    (("name",), _DELETE, "$.name", "missing"),
    (("name",), "", "$.name", "empty"),
    (("name",), "x" * 101, "$.name", "101 characters"),
    (("name",), 5, "$.name", "must be a string"),
    (("description",), "x" * 2001, "$.description", "2,000"),
    (("description",), ["x"], "$.description", "must be a string"),
    (("auth",), _DELETE, "$.auth", "missing"),
    (("auth",), "api_key", "$.auth", "must be an object"),
    (("auth", "method"), "basic", "$.auth.method", "must be one of none, username_password"),
    (("auth", "method"), _DELETE, "$.auth.method", "must be one of"),
    (("auth", "fields"), [{"key": "token", "label": "Token"}], "$.auth.fields", "only used with"),
    (("auth", "oauth2"), {"client_id": "x"}, "$.auth.oauth2", "only used with"),
    (("auth", "client_secret"), "s3cr3t", "$.auth.client_secret", "typed into the portal"),
    (("hosts",), "api.example.com", "$.hosts", "must be a list"),
    (("hosts",), ["https://api.example.com"], "$.hosts[0]", "without https://"),
    (("hosts",), ["api.example.com/v1"], "$.hosts[0]", "without https://"),
    (("hosts",), ["api..example.com"], "$.hosts[0]", "not a host name"),
    (("hosts",), ["api.example.com:99999"], "$.hosts[0]", "not a host name"),
    (("hosts",), ["api.example.com:"], "$.hosts[0]", "not a host name"),
    (("hosts",), ["-api.example.com"], "$.hosts[0]", "not a host name"),
    (("hosts",), ["api.*.com"], "$.hosts[0]", "not a host name"),
    (("hosts",), ["*.com"], "$.hosts[0]", "top-level domain"),
    (("hosts",), [7], "$.hosts[0]", "must be a host name"),
    (("reports",), "Events", "$.reports", "must be a list"),
    (("reports",), ["Events", "Events"], "$.reports[1]", "unique"),
    (("reports",), ["Events", "  "], "$.reports[1]", "empty"),
    (("reports",), [3], "$.reports[0]", "must be a report name"),
    (("parameters",), {"name": "x"}, "$.parameters", "must be a list"),
    (("parameters", 1), "Since", "$.parameters[1]", "must be an object"),
    (("parameters", 1, "name"), "Region", "$.parameters[1].name", "unique"),
    (("parameters", 1, "name"), "", "$.parameters[1].name", "non-empty"),
    (("parameters", 1, "type"), "date", "$.parameters[1].type", "must be one of string, integer"),
    (("parameters", 0, "options"), [], "$.parameters[0].options", "non-empty list"),
    (("parameters", 0, "options"), _DELETE, "$.parameters[0].options", "needs options"),
    (("parameters", 0, "options", 1), {"value": "us"}, "$.parameters[0].options[1].name", "non-empty"),
    (("parameters", 0, "options", 1), {"name": "US"}, "$.parameters[0].options[1].value", "value"),
    (("parameters", 0, "help"), 3, "$.parameters[0].help", "must be a string"),
    (("parameters", 0, "required"), "yes", "$.parameters[0].required", "true or false"),
    (("parameters", 1, "show_when"), False, "$.parameters[1].show_when", "must be a string"),
    (("parameters", 2, "discovery"), _DELETE, "$.parameters[2].discovery", "needs"),
    (("parameters", 2, "discovery", "mode"), "list", "$.parameters[2].discovery.mode", "dropdown, tree"),
    (("parameters", 2, "discovery", "script"), _DELETE, "$.parameters[2].discovery.script", "path"),
    (("parameters", 2, "discovery", "script"), "discovery/w.py", "$.parameters[2].discovery.script", ".js"),
    (("parameters", 2, "discovery", "script"), "../w.js", "$.parameters[2].discovery.script", "leaves"),
    (("parameters", 2, "discovery", "script"), "/w.js", "$.parameters[2].discovery.script", "absolute"),
    (("scripts",), ["processdata.js"], "$.scripts", "must be an object"),
    (("scripts", "processdata"), "", "$.scripts.processdata", "path"),
    (("scripts", "processdata"), "C:\\x.js", "$.scripts.processdata", "absolute"),
    (("scripts", "authentication"), "lib\\auth.js", "$.scripts.authentication", "backslash"),
    (("samples",), [], "$.samples", "must be an object"),
    (("samples", "account"), "x", "$.samples.account", "must be an object"),
    (("samples", "parameters"), [], "$.samples.parameters", "must be an object"),
    (("samples", "days"), "7", "$.samples.days", "number of days"),
    (("samples", "days"), -1, "$.samples.days", "number of days"),
    (("samples", "responses"), {}, "$.samples.responses", "must be a list"),
    (("samples", "responses", 0), "GET /", "$.samples.responses[0]", "must be an object"),
    (("samples", "responses", 0, "method"), "DELETE", "$.samples.responses[0].method", "GET, POST, PUT"),
    (("samples", "responses", 0, "url"), _DELETE, "$.samples.responses[0]", "exactly one of url"),
    (("samples", "responses", 0, "url_prefix"), "https://x.io/", "$.samples.responses[0]", "exactly one of url"),
    (("samples", "responses", 0, "url"), "ftp://x.io/a", "$.samples.responses[0].url", "http(s) URL"),
    (("samples", "responses", 0, "url"), "/api/session", "$.samples.responses[0].url", "http(s) URL"),
    (("samples", "responses", 0, "status"), "200", "$.samples.responses[0].status", "status code"),
    (("samples", "responses", 0, "status"), 42, "$.samples.responses[0].status", "status code"),
    (("samples", "responses", 1, "headers"), [], "$.samples.responses[1].headers", "must be an object"),
    (("samples", "responses", 1, "headers", "Content-Type"), 1,
     '$.samples.responses[1].headers["Content-Type"]', "must be a string"),
    (("samples", "responses", 0, "body"), _DELETE, "$.samples.responses[0]", "exactly one of body"),
    (("samples", "responses", 0, "body_file"), "samples/opportunities-0.csv", "$.samples.responses[0]",
     "exactly one of body"),
    (("samples", "responses", 0, "body"), {"ok": True}, "$.samples.responses[0].body", "must be a string"),
    (("samples", "responses", 1, "body_file"), "samples/missing.csv", "$.samples.responses[1].body_file",
     "not in the bundle"),
    (("samples", "responses", 1, "body_file"), "../secret.csv", "$.samples.responses[1].body_file", "leaves"),
]


@pytest.mark.parametrize("path, value, json_path, words", FAILING)
def test_it_refuses_each_structural_mistake(path, value, json_path, words):
    errors = errors_of(changed(_set(path, value)), SAMPLE_FILES)
    assert len(errors) == 1, errors
    assert errors[0][0] == json_path
    assert words in errors[0][1]


PASSING = [
    (("format",), 1),
    (("description",), _DELETE),
    (("description",), ""),
    (("description",), None),
    (("description",), "x" * 2000),
    (("name",), "x" * 100),
    (("hosts",), _DELETE),
    (("hosts",), []),
    (("hosts",), ["api.example.com", "api.example.com:8443", "*.example.com", "API.Example.COM", "10.0.0.1"]),
    (("reports",), _DELETE),
    (("reports",), []),
    (("reports",), ["Events", "Invoices"]),
    (("parameters",), _DELETE),
    (("parameters",), []),
    (("parameters", 0, "options", 1, "value"), 2),
    (("parameters", 2, "discovery", "mode"), "tree"),
    (("parameters", 1, "type"), "integer"),
    (("scripts",), _DELETE),
    (("scripts",), {"processdata": "src/main.js"}),
    (("samples",), _DELETE),
    (("samples", "days"), 1.5),
    (("samples", "responses", 0, "method"), "PUT"),
    (("samples", "responses", 0, "status"), 404),
    (("samples", "responses", 0, "url"), _DELETE),
    (("samples", "responses", 0, "url"), "http://crm.example-sales.com/x"),
    (("future_key",), {"anything": True}),
]


@pytest.mark.parametrize("path, value", PASSING)
def test_it_accepts_each_valid_variant(path, value):
    m = changed(_set(path, value))
    if path == ("samples", "responses", 0, "url") and value is _DELETE:
        m["samples"]["responses"][0]["url_prefix"] = "https://crm.example-sales.com/api/"
    assert errors_of(m, SAMPLE_FILES) == []


def test_it_does_not_check_body_files_without_files():
    m = changed(_set(("samples", "responses", 1, "body_file"), "samples/missing.csv"))
    assert errors_of(m) == []


@pytest.mark.parametrize("method", ["none", "username_password", "api_key", "oauth2", "custom"])
def test_it_accepts_every_auth_method(method):
    assert errors_of(changed(_set(("auth",), {"method": method}))) == []


def custom(fields):
    return changed(_set(("auth",), {"method": "custom", "fields": fields}))


def test_it_accepts_custom_auth_fields():
    fields = [{"key": "apiToken", "label": "API token", "secret": True}, {"key": "$org_1", "label": "Org"}]
    assert errors_of(custom(fields)) == []


@pytest.mark.parametrize(
    "fields, json_path, words",
    [
        ({"key": "x"}, "$.auth.fields", "must be a list"),
        (["token"], "$.auth.fields[0]", "must be an object"),
        ([{"key": "api-token", "label": "Token"}], "$.auth.fields[0].key", "JavaScript identifier"),
        ([{"key": "1token", "label": "Token"}], "$.auth.fields[0].key", "JavaScript identifier"),
        ([{"label": "Token"}], "$.auth.fields[0].key", "JavaScript identifier"),
        ([{"key": "a", "label": "A"}, {"key": "a", "label": "B"}], "$.auth.fields[1].key", "repeats"),
        ([{"key": "token"}], "$.auth.fields[0].label", "non-empty string"),
        ([{"key": "token", "label": "Token", "secret": "yes"}], "$.auth.fields[0].secret", "true or false"),
    ],
)
def test_it_refuses_bad_custom_auth_fields(fields, json_path, words):
    errors = errors_of(custom(fields))
    assert len(errors) == 1 and errors[0][0] == json_path and words in errors[0][1]


def oauth2(**changes):
    details = {"client_id": "abc", "authorization_url": "https://x.io/authorize",
               "access_token_url": "https://x.io/token", "token_method": "POST", "scope": "read",
               "authorization_params": "a=b", "token_params": "c=d"}
    details.update(changes)
    return changed(_set(("auth",), {"method": "oauth2", "oauth2": details}))


def test_it_accepts_oauth2_details_complete_or_not_yet():
    assert errors_of(oauth2()) == []
    assert errors_of(oauth2(client_id="", token_method="GET")) == []
    assert errors_of(changed(_set(("auth",), {"method": "oauth2"}))) == []


@pytest.mark.parametrize(
    "changes, json_path, words",
    [
        ({"client_secret": "s3cr3t"}, "$.auth.oauth2.client_secret", "typed into the portal"),
        ({"clientSecret": "s3cr3t"}, "$.auth.oauth2.clientSecret", "never travels in a bundle"),
        ({"token_method": "PUT"}, "$.auth.oauth2.token_method", "must be one of GET, POST"),
        ({"scope": ["read"]}, "$.auth.oauth2.scope", "must be a string"),
        ({"client_id": 42}, "$.auth.oauth2.client_id", "must be a string"),
        ({"access_token_url": "token"}, "$.auth.oauth2.access_token_url", "http(s) URL"),
    ],
)
def test_it_refuses_bad_oauth2_details(changes, json_path, words):
    errors = errors_of(oauth2(**changes))
    assert len(errors) == 1 and errors[0][0] == json_path and words in errors[0][1]


def test_it_refuses_oauth2_details_that_are_not_an_object():
    errors = errors_of(changed(_set(("auth",), {"method": "oauth2", "oauth2": "abc"})))
    assert errors == [("$.auth.oauth2", "must be an object, not a string")]


def test_it_lists_every_error_in_document_order():
    m = base()
    m["format"] = 2
    m["reports"] = "Events"
    m["samples"]["days"] = "x"
    assert [path for path, _ in errors_of(m)] == ["$.format", "$.reports", "$.samples.days"]


def test_it_does_not_change_the_manifest():
    m = base()
    before = copy.deepcopy(m)
    validate_manifest(m)
    assert m == before
