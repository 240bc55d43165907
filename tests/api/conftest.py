"""API helpers: a token for alice and bob, bundle zips, and a client that sends the token."""

import io

import pytest
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from api.services import api_token_create
from connectors.bundle.reader import read_bundle
from connectors.bundle.writer import write_bundle_zip


class ApiClient:
    """Django's test client with `Authorization: Bearer <token>` and CSRF checks on."""

    def __init__(self, token=None):
        self.client = Client(enforce_csrf_checks=True)
        self.token = token

    def _headers(self):
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}

    def get(self, url):
        return self.client.get(url, **self._headers())

    def post_json(self, url, body=None):
        import json

        data = "" if body is None else json.dumps(body)
        return self.client.post(url, data, content_type="application/json", **self._headers())

    def post_bundle(self, url, zip_bytes, **fields):
        upload = io.BytesIO(zip_bytes)
        upload.name = "bundle.zip"
        return self.client.post(url, {"bundle": upload, **fields}, **self._headers())

    def put_bundle(self, url, zip_bytes):
        upload = io.BytesIO(zip_bytes)
        upload.name = "bundle.zip"
        body = encode_multipart(BOUNDARY, {"bundle": upload})
        return self.client.put(url, body, content_type=MULTIPART_CONTENT, **self._headers())


@pytest.fixture
def bundle_zip(bundles_dir):
    """bundle_zip("sales-crm") -> the fixture bundle as zip bytes."""

    def _zip(name="sales-crm"):
        return write_bundle_zip(read_bundle(bundles_dir / name))

    return _zip


@pytest.fixture
def alice_api(alice):
    _record, token = api_token_create(user=alice, name="CI")
    return ApiClient(token)


@pytest.fixture
def bob_api(bob):
    _record, token = api_token_create(user=bob, name="CI")
    return ApiClient(token)
