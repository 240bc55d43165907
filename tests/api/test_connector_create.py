"""POST /api/v1/connectors: a bundle upload becomes a draft of the token owner's company."""

import pytest

from connectors.models import Company, Connector, Membership

URL = "/api/v1/connectors"


def test_it_creates_a_draft_and_answers_its_id_and_missing_parts(alice_api, bundle_zip, acme):
    response = alice_api.post_bundle(URL, bundle_zip("sales-crm"))
    assert response.status_code == 201
    body = response.json()
    connector = Connector.objects.get(pk=body["id"])
    assert connector.company == acme
    assert body["missing"] == []


def test_it_lists_what_an_incomplete_bundle_still_needs(alice_api, bundles_dir, tmp_path):
    import shutil

    from connectors.bundle.reader import read_bundle
    from connectors.bundle.writer import write_bundle_zip

    folder = tmp_path / "no-logo"
    shutil.copytree(bundles_dir / "sales-crm", folder)
    (folder / "icons" / "logo_without_background.png").unlink()
    response = alice_api.post_bundle(URL, write_bundle_zip(read_bundle(folder)))
    assert response.status_code == 201
    missing = response.json()["missing"]
    assert [part["field"] for part in missing] == ["icons.logo_without_background"]
    assert set(missing[0]) == {"field", "message", "file", "json_path"}


def test_it_answers_400_with_the_field_when_the_upload_is_missing(alice_api):
    response = alice_api.post_json(URL, {"bundle": "nope"})
    assert response.status_code == 400
    assert response.json()["field"] == "bundle"
    assert "multipart" in response.json()["error"]


def test_it_answers_400_with_where_a_bundle_is_broken(alice_api):
    response = alice_api.post_bundle(URL, b"this is not a zip")
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "bundle" and body["error"]
    assert "file" in body and "json_path" in body
    assert not Connector.objects.exists()


@pytest.fixture
def alice_in_globex_too(alice, globex):
    Membership.objects.create(user=alice, company=globex)


def test_it_asks_for_the_company_when_the_owner_has_several(alice_api, alice_in_globex_too, bundle_zip):
    response = alice_api.post_bundle(URL, bundle_zip())
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "company"
    assert "acme" in body["error"] and "globex" in body["error"]


def test_it_creates_in_the_company_named_by_slug(alice_api, alice_in_globex_too, bundle_zip, globex):
    response = alice_api.post_bundle(URL, bundle_zip(), company="globex")
    assert response.status_code == 201
    assert Connector.objects.get(pk=response.json()["id"]).company == globex


def test_it_refuses_a_company_the_owner_is_not_in(alice_api, globex, bundle_zip):
    response = alice_api.post_bundle(URL, bundle_zip(), company="globex")
    assert response.status_code == 400
    assert response.json()["field"] == "company"
    assert not Connector.objects.exists()


def test_it_says_so_when_the_owner_has_no_company(django_user_model, bundle_zip):
    from api.services import api_token_create
    from tests.api.conftest import ApiClient

    loner = django_user_model.objects.create_user("loner", password="pw")
    _record, token = api_token_create(user=loner, name="CI")
    response = ApiClient(token).post_bundle(URL, bundle_zip())
    assert response.status_code == 400
    assert "not a member of any company" in response.json()["error"]
    assert not Company.objects.filter(memberships__user=loner).exists()


def test_it_answers_400_for_a_broken_multipart_body(alice_api):
    response = alice_api.client.post(
        URL, b"--nope\r\ngarbage", content_type="multipart/form-data; boundary=",
        HTTP_AUTHORIZATION=f"Bearer {alice_api.token}",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "bundle"
