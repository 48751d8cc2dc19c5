"""The portal's Redis cache backend against a real Redis: one redis-py client per pool, and the cache
still does what Django's does."""

import os

import pytest

from zelfbeheer.redis_cache import PooledClientRedisCache

from .conftest import require_component

REDIS_URL = os.environ.get("REDIS_URL", "")


@pytest.fixture
def redis_cache():
    require_component(bool(REDIS_URL), "Redis (REDIS_URL) for the cache backend")
    backend = PooledClientRedisCache(REDIS_URL, {"KEY_PREFIX": "test-redis-cache"})
    yield backend
    # Not `clear()`: that empties the whole Redis database, which the tests' Celery broker shares.
    backend.delete_many(["answer", "counter"])


def test_every_call_shares_one_client(redis_cache):
    client = redis_cache._cache.get_client(write=True)

    assert redis_cache._cache.get_client() is client
    assert redis_cache._cache.get_client("some-key", write=False) is client


def test_the_cache_reads_and_writes_as_djangos_does(redis_cache):
    redis_cache.set("answer", {"value": 42}, timeout=60)
    assert redis_cache.add("answer", "other") is False
    assert redis_cache.get("answer") == {"value": 42}
    assert redis_cache.get_many(["answer", "missing"]) == {"answer": {"value": 42}}
    assert redis_cache.add("counter", 1) is True
    assert redis_cache.incr("counter") == 2
    redis_cache.delete("answer")
    assert redis_cache.get("answer", "gone") == "gone"
