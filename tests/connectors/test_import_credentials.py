"""Credentials hidden in imported OAuth settings and extra files never survive an import or an export."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from connectors.bundle.credentials import is_credential_key, strip_oauth2
from connectors.bundle.importer import import_bundle
from connectors.models import ConnectorFile
from tests.connectors.test_devstudio_import import _all_bytes, _export_files, _zip

SECRETS = ("tok-secret-4711", "auth-secret-4711", "url-secret-4711", "userinfo-pass-4711", "userinfo-user-4711")


def _oauth_export(**extra):
    files = _export_files(
        type="oauth2", clientKey="client-id-1",
        authorizationURL="https://userinfo-user-4711:userinfo-pass-4711@login.example.com/authorize?prompt=consent",
        accessTokenURL="https://login.example.com/token?client_secret=url-secret-4711&audience=api",
        accesstokenMethod="post", scope="read",
        additionalParameters="response_type=code&Client-Secret=auth-secret-4711",
        tokenAddlParams="grant_type=authorization_code&client_secret=tok-secret-4711",
    )
    files.update(extra)
    return files


@pytest.mark.parametrize("name", [
    "client_secret", "clientSecret", "CLIENT-SECRET", "password", "Passwd", "api_key", "apiKey", "x-api-key",
    "access_token", "refreshToken", "token", "id_token", "private_key", "auth", "authorization", "session_key",
    "secret", "pwd",
])
def test_credential_key_names_match_whatever_the_case_and_separators(name):
    assert is_credential_key(name)


@pytest.mark.parametrize("name", [
    "client_id", "grant_type", "response_type", "scope", "token_method", "token_url", "audience", "prompt",
    "redirect_uri", "state", "access_type",
])
def test_ordinary_oauth_parameter_names_are_not_credentials(name):
    assert not is_credential_key(name)


def test_strip_oauth2_keeps_the_rest_verbatim_and_names_what_it_dropped():
    clean, dropped = strip_oauth2({
        "authorization_url": "https://u:p@login.example.com/a?x={{state}}&password=p1",
        "token_params": "grant_type=authorization_code&client_secret=s1",
        "authorization_params": '{"access_type": "offline", "apiKey": "k1"}',
        "client_id": "abc",
    })
    assert clean["authorization_url"] == "https://login.example.com/a?x={{state}}"
    assert clean["token_params"] == "grant_type=authorization_code"
    assert json.loads(clean["authorization_params"]) == {"access_type": "offline"}
    assert clean["client_id"] == "abc"
    assert dropped == ["authorization_url user info", "authorization_url ?password", "token_params client_secret",
                       "authorization_params apiKey"]


def test_a_dev_studio_import_drops_secrets_from_oauth_params_and_urls_and_names_the_keys():
    imported = import_bundle(_zip(_oauth_export()))
    oauth2 = imported.bundle.manifest["auth"]["oauth2"]
    assert oauth2["token_params"] == "grant_type=authorization_code"
    assert oauth2["authorization_params"] == "response_type=code"
    assert oauth2["access_token_url"] == "https://login.example.com/token?audience=api"
    assert oauth2["authorization_url"] == "https://login.example.com/authorize?prompt=consent"
    notes = "\n".join(imported.notes)
    everything = _all_bytes(imported) + notes.encode()
    for value in SECRETS:
        assert value.encode() not in everything
    for name in ("client_secret", "Client-Secret", "user info"):
        assert name in notes


def test_our_own_bundle_with_a_secret_in_its_oauth_settings_is_cleaned_too(bundles_dir):
    files = {p.relative_to(bundles_dir / "sales-crm").as_posix(): p.read_bytes()
             for p in (bundles_dir / "sales-crm").rglob("*") if p.is_file()}
    manifest = json.loads(files["connector.json"])
    manifest["auth"] = {"method": "oauth2", "oauth2": {
        "authorization_url": "https://login.example.com/a", "access_token_url": "https://login.example.com/t",
        "token_params": "client_secret=tok-secret-4711"}}
    files["connector.json"] = json.dumps(manifest).encode()
    imported = import_bundle(_zip(files))
    assert b"tok-secret-4711" not in _all_bytes(imported)
    assert any("client_secret" in note for note in imported.notes)


def test_a_dev_studio_import_drops_unknown_files_and_names_them():
    imported = import_bundle(_zip(_oauth_export(**{
        "accountSection.json": b'{"password": "userinfo-pass-4711"}', "notes/todo.txt": b"x"})))
    assert "accountSection.json" not in imported.bundle.files and "notes/todo.txt" not in imported.bundle.files
    notes = "\n".join(imported.notes)
    assert "accountSection.json" in notes and "notes/todo.txt" in notes
    assert b"userinfo-pass-4711" not in _all_bytes(imported)


@pytest.mark.parametrize("export_format", ["", "devstudio"])
def test_exports_never_carry_a_stored_extra_file_or_oauth_secret(client, alice, import_connector, export_format):
    # Rows saved before the import cleaned them: the export must not hand them on.
    connector = import_connector("sales-crm")
    connector.auth_method = "oauth2"
    connector.oauth2 = {"authorization_url": "https://u:userinfo-pass-4711@login.example.com/a",
                        "access_token_url": "https://login.example.com/t",
                        "token_params": "grant_type=x&client_secret=tok-secret-4711"}
    connector.save()
    ConnectorFile.objects.create(connector=connector, path="accountSection.json",
                                 content=b'{"password": "url-secret-4711"}')
    client.force_login(alice)
    url = reverse("connectors:export", args=[connector.pk]) + (f"?format={export_format}" if export_format else "")
    response = client.get(url)
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
        everything = b"".join(archive.read(name) for name in names)
    assert not any(name.endswith("accountSection.json") for name in names)
    for value in SECRETS:
        assert value.encode() not in everything
