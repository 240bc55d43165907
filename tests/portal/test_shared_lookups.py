"""Two per-request costs paid once: the Redis cache's client objects and static URLs."""

import json
from unittest import mock

import pytest
from whitenoise.storage import CompressedManifestStaticFilesStorage

from portal.static_storage import StaticStorage


def test_the_redis_cache_keeps_one_client_per_pool():
    # django-redis (settings.CACHES with REDIS_URL): no server needed, a client connects
    # only when it sends a command. Django's own backend built a client per call.
    from django_redis.cache import RedisCache

    cache = RedisCache("redis://127.0.0.1:6379/15", {})
    assert cache.client.get_client() is cache.client.get_client(write=True)


@pytest.fixture
def storage(tmp_path):
    (tmp_path / "staticfiles.json").write_text(json.dumps({"paths": {"css/a.css": "css/a.0123abcd.css"}, "version": "1.1"}))
    return StaticStorage(location=str(tmp_path), base_url="/static/")


def test_a_static_url_is_worked_out_once(storage):
    with mock.patch.object(CompressedManifestStaticFilesStorage, "url", autospec=True,
                           side_effect=lambda self, name, force=False: f"/static/{self.stored_name(name)}") as url:
        assert storage.url("css/a.css") == "/static/css/a.0123abcd.css"
        assert storage.url("css/a.css") == "/static/css/a.0123abcd.css"
    assert url.call_count == 1


def test_an_unknown_static_name_still_fails_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")
