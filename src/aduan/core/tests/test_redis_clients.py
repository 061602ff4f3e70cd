"""The Redis cache reuses one client per connection pool (core/cache.py): Django's own builds a
new `redis.Redis` per operation. Against the real Redis of the machine (skipped without it)."""

from __future__ import annotations

import os

import pytest
import redis

from aduan.core.cache import ResilientRedisCache, redis_count

URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def _cache() -> ResilientRedisCache:
    try:
        redis.Redis.from_url(URL, socket_connect_timeout=0.5).ping()
    except (redis.ConnectionError, OSError):
        pytest.skip("no Redis here")
    return ResilientRedisCache(URL, {"KEY_PREFIX": "test-clients-" + os.urandom(4).hex()})


def test_one_client_serves_every_operation_of_a_pool(monkeypatch):
    cache = _cache()
    built = []
    original = redis.Redis.__init__

    def counting(self, *args, **kwargs):
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting)
    cache.set("a", 1, 60)
    assert cache.get("a") == 1
    assert redis_count(cache, "n", 60) == 1
    assert redis_count(cache, "n", 60) == 2
    assert cache.incr("n") == 3
    cache.delete_many(["a", "n"])
    assert len(built) == 1  # one pool here for reads and writes (one server)
    assert cache._cache.get_client() is cache._cache.get_client(write=True)


def test_a_new_pool_gets_its_own_client():
    cache = _cache()
    client = cache._cache.get_client(write=True)
    cache._cache._pools.clear()  # e.g. a pool dropped and made again
    again = cache._cache.get_client(write=True)
    assert again is not client and again.connection_pool is not client.connection_pool
    assert redis_count(cache, "m", 60) == 1
    cache.delete("m")
