"""gerai.core.rediscache: one redis.Redis client per pool, made again after a fork (the tests' own cache is
in memory; this one talks to the Redis of GERAI_TEST_REDIS_URL, GERAI_REDIS_URL or 127.0.0.1:6379, and is
skipped when none answers). Its keys are prefixed and live five seconds, or are deleted after the test."""

import os

import pytest

from gerai.core.rediscache import RedisCache

# the machine's Redis (CI starts it), as tests/test_tasks_rq.py; skipped when none answers
URL = os.environ.get("GERAI_TEST_REDIS_URL") or os.environ.get("GERAI_REDIS_URL") or "redis://127.0.0.1:6379/0"


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
    cache.delete_many(["probe", "n", "v1", "v2", "v3"])


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


def test_versions_are_bumped_in_one_round_trip(redis_cache):
    redis_cache.set("v1", 7, 5)
    redis_cache.bump_versions(["v1", "v2"], None)  # a missing version stays missing without a fresh value
    assert redis_cache.get_many(["v1", "v2"]) == {"v1": 8}
    redis_cache.bump_versions(["v1", "v3"], 1000)
    assert redis_cache.get_many(["v1", "v3"]) == {"v1": 9, "v3": 1000}
    redis_cache._cache._pid = -1  # forked: the script is registered again on the child's client
    redis_cache.bump_versions(["v1"], None)
    assert redis_cache.get("v1") == 10
