"""Django's Redis cache, with one `redis.Redis` client per connection pool instead of one per cache call.

Django's RedisCacheClient builds a new `redis.Redis` for every get, set and incr (its constructor fills the
response-callback tables: about 850 dictionary writes), part of the fifth of a rebuilt public page that was
Redis (docs/performance.md). Here each pool's client is made once and reused: a `redis.Redis` over a
pool is safe to share, and Django's cache handler gives each thread its own backend anyway.

After a fork (granian's workers, the worker's job processes) the parent's pools and clients are dropped and
made again in the child, so no socket is ever shared between two processes.

    CACHES = {"default": {"BACKEND": "gerai.core.rediscache.RedisCache", "LOCATION": "redis://…"}}
"""

import os
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    # RedisCacheClient's own, which django-stubs does not declare
    _servers: list[str]
    _pools: dict[int, Any]
    _pool_class: Any
    _pool_options: dict[str, Any]
    _client: Any
    _get_connection_pool_index: Callable[[bool], int]

    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients: dict[int, Any] = {}
        self._pid = os.getpid()

    def get_client(self, key=None, *, write=False):
        if self._pid != os.getpid():  # forked: the parent's pools and their sockets are not this process's
            self._pools, self._clients, self._pid = {}, {}, os.getpid()
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
