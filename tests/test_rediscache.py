"""gerai.core.rediscache: one redis.Redis client per pool, made again after a fork (the tests' own cache is
in memory; this one talks to the Redis of GERAI_TEST_REDIS_URL or GERAI_REDIS_URL, and is skipped without
one). Its keys are prefixed and live five seconds."""

import os

import pytest

from gerai.core.rediscache import RedisCache

URL = os.environ.get("GERAI_TEST_REDIS_URL") or os.environ.get("GERAI_REDIS_URL", "")


@pytest.fixture
def redis_cache():
    if not URL:
        pytest.skip("no Redis: set GERAI_TEST_REDIS_URL")
    cache = RedisCache(URL, {"KEY_PREFIX": "gerai-test-rediscache"})
    try:
        cache.set("probe", 1, 5)
    except Exception:  # no Redis here
        pytest.skip("no Redis at " + URL)
    yield cache
    cache.delete_many(["probe", "n"])


def test_every_call_reuses_one_client(redis_cache):
    client = redis_cache._cache.get_client()
    redis_cache.set("n", 1, 5)
    assert redis_cache.incr("n") == 2 and redis_cache.get_many(["n", "probe"]) == {"n": 2, "probe": 1}
    assert redis_cache._cache.get_client(write=True) is client


def test_a_forked_process_makes_its_own_pool_and_client(redis_cache):
    client = redis_cache._cache.get_client()
    pool = client.connection_pool
    redis_cache._cache._pid = -1  # as the child of a fork sees it
    fresh = redis_cache._cache.get_client()
    assert fresh is not client and fresh.connection_pool is not pool
    assert redis_cache.get("probe") == 1
