"""Django's Redis cache, with one redis-py client per connection pool instead of one per operation, and the
version counters of the page cache bumped in one round trip.

Django builds a new `redis.Redis` for every cache call (`RedisCacheClient.get_client`), and redis-py's
constructor fills ~170 response callbacks each time: a fifth of the CPU of a tracking answer served from the
cache (issue #20). A `redis.Redis` holds nothing but its pool and is safe to share between threads, so each
pool keeps one. Django's `incr` is two round trips (EXISTS, then INCRBY), and every audited write bumps two
or three versions when it commits: `bump_versions` does them all in one script."""

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


class _Client(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}
        self._bump: Any = None

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client

    def bump_versions(self, keys: list[str], fresh: int | None) -> None:
        client = self.get_client(write=True)
        if self._bump is None:
            self._bump = client.register_script(_BUMP)
        self._bump(keys=keys, args=["" if fresh is None else str(fresh)], client=client)


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _Client

    def bump_versions(self, keys: list[str], fresh: int | None) -> None:
        """Add one to each of these integer versions that exists; set the missing ones to `fresh` (or leave them
        missing when it is None). One round trip."""
        client: _Client = self._cache  # type: ignore[assignment]
        client.bump_versions([self.make_and_validate_key(key) for key in keys], fresh)
