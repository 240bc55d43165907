"""Django's Redis cache backend, with one client object per connection pool.

Django builds a new `redis.Redis` for every cache call (RedisCacheClient.get_client),
and each one fills its table of ~170 response callbacks: on a page served from cached
parts (a session read, a generation and a part) that was a tenth of the request's time.
A client holds no connection of its own (the pool does) and is safe to share.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _SharedClients(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _SharedClients
