"""Django's Redis cache, with one redis-py client per connection pool instead of one per call.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache call, and redis-py's
constructor rebuilds its table of ~165 response callbacks each time (redis-py issue #3624): 0.1–0.2 ms a
call, a page with eight cache reads paid more for that than for the reads. Django keeps one cache
backend per thread, so here one client per pool serves every call of that thread (a `redis.Redis` would
also be safe to share: it takes a connection from its pool for each command).
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class PooledClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        # Pools live as long as the process (Django keeps them in `_pools`), so their id is a stable key.
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class PooledClientRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = PooledClientRedisCacheClient
