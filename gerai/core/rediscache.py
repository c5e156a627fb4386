"""Django's Redis cache, with one `redis.Redis` client per connection pool instead of one per cache call.

Django's RedisCacheClient builds a new `redis.Redis` for every get, set and incr (its constructor fills the
response-callback tables: about 850 dictionary writes), part of the fifth of a rebuilt public page that was
Redis (docs/performance.md). Here each pool's client is made once and reused: a `redis.Redis` over a
pool is safe to share, and Django's cache handler gives each thread its own backend anyway.

After a fork (granian's workers, the worker's job processes) the parent's pools and clients are dropped and
made again in the child, so no socket is ever shared between two processes.

`bump_versions` moves the page cache's versions (gerai.core.pagecache) in one scripted round trip: every
audited write bumps a few when it commits, and Django's incr costs two round trips a key.

    CACHES = {"default": {"BACKEND": "gerai.core.rediscache.RedisCache", "LOCATION": "redis://…"}}
"""

import os
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

# KEYS: the versions; ARGV[1]: the value for a version that does not exist ("" leaves it absent)
_BUMP = """
for _, key in ipairs(KEYS) do
  if redis.call('exists', key) == 1 then
    redis.call('incr', key)
  elseif ARGV[1] ~= '' then
    redis.call('set', key, ARGV[1])
  end
end
"""


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
        self._bump: Any = None
        self._bump_pid = 0

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

    def bump_versions(self, keys: list[str], fresh: int | None) -> None:
        client = self.get_client(write=True)
        if self._bump is None or self._bump_pid != os.getpid():
            self._bump, self._bump_pid = client.register_script(_BUMP), os.getpid()
        self._bump(keys=keys, args=["" if fresh is None else str(fresh)], client=client)


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def bump_versions(self, keys: list[str], fresh: int | None) -> None:
        """Add one to each of these integer versions that exists; set the missing ones to `fresh` (or leave them
        missing when it is None). One round trip, where Django's incr is two (EXISTS, then INCRBY) a key."""
        client: ReusingRedisCacheClient = self._cache  # type: ignore[assignment]
        client.bump_versions([self.make_and_validate_key(key) for key in keys], fresh)
