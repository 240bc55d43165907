"""Two per-request costs paid once: the Redis cache's client objects and static URLs."""

import json
from unittest import mock

import pytest
from whitenoise.storage import CompressedManifestStaticFilesStorage

from portal.redis_cache import RedisCache
from portal.static_storage import StaticStorage


def test_the_redis_cache_builds_one_client_per_pool():
    # No server needed: a client connects only when it sends a command.
    cache = RedisCache("redis://127.0.0.1:6379/15", {})
    assert cache._cache.get_client() is cache._cache.get_client(write=True)


def test_djangos_own_builds_one_per_call():
    # What the subclass is for; if Django ever shares clients itself, it can go.
    from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

    cache = DjangoRedisCache("redis://127.0.0.1:6379/15", {})
    assert cache._cache.get_client() is not cache._cache.get_client()


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
