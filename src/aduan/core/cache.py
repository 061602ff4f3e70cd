"""Django's Redis cache, degrading instead of failing when Redis is unreachable.

The cache holds only what can be recomputed (desk counters, page memos, rate-limit counters), so
an unreachable Redis must cost speed, never a 500. Every operation that hits a connection or
timeout error answers as a miss (`get` gives the default, `add` says the key was stored so a
rate limit fails open, writes are dropped) and the process stops asking Redis for
`RETRY_SECONDS`, so pages are not slowed by one timeout per cache call during an outage.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)


class _ReusedClients(RedisCacheClient):
    """Django's Redis cache client with one `redis.Redis` per connection pool, not one per
    cache operation: Django's `get_client` builds a new client for every call, and building
    one fills a 169-entry case-insensitive table of response callbacks, 53 us on this machine
    (a tenth of a rate-limited request's CPU with Redis, issue 17). A client holds no
    connection of its own (the pool lends one per command, and after a fork the pool
    notices the new process), so one per pool serves every thread."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None or client.connection_pool is not pool:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _ReusedClients
        self._down_until = 0.0
        self._lock = threading.Lock()

    @property
    def is_available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _call(self, name: str, fallback: Any, *args: Any, **kwargs: Any) -> Any:
        if not self.is_available:
            return fallback
        try:
            return getattr(super(), name)(*args, **kwargs)
        except _ERRORS as exc:
            self._went_down(exc)
            return fallback

    def _went_down(self, exc: BaseException) -> None:
        with self._lock:
            first = self.is_available
            self._down_until = time.monotonic() + RETRY_SECONDS
        if first:
            logger.warning("cache unavailable (%s); working without it for %ss",
                           exc, RETRY_SECONDS)

    def count(self, key: Any, timeout: int) -> int | None:
        """Add one to the counter at `key` and answer its new value, creating it with `timeout`
        seconds to live when missing, in one round trip (a pipeline of SET NX EX and INCR;
        Django's add-then-incr takes up to three). The value stays a plain integer, readable
        by `get`. None while Redis is unreachable (the rate limiter then lets the request
        through), with the same back-off as every other operation."""
        if not self.is_available:
            return None
        try:
            return redis_count(self, key, timeout)
        except _ERRORS as exc:
            self._went_down(exc)
            return None

    def count_reading(self, key: Any, timeout: int,
                      others: list[Any]) -> tuple[int, list[int]] | None:
        """`count`, and the values of the counters `others`, in one round trip
        (`redis_count_reading`); None while Redis is unreachable, as `count`."""
        if not self.is_available:
            return None
        try:
            return redis_count_reading(self, key, timeout, others)
        except _ERRORS as exc:
            self._went_down(exc)
            return None

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT,
            version: Any = None) -> bool:
        return bool(self._call("add", True, key, value, timeout, version))

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._call("get", default, key, default, version)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT,
            version: Any = None) -> None:
        self._call("set", None, key, value, timeout, version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        return bool(self._call("touch", False, key, timeout, version))

    def delete(self, key: Any, version: Any = None) -> bool:
        return bool(self._call("delete", False, key, version))

    def get_many(self, keys: Any, version: Any = None) -> dict[Any, Any]:
        return dict(self._call("get_many", {}, keys, version))

    def has_key(self, key: Any, version: Any = None) -> bool:
        return bool(self._call("has_key", False, key, version))

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        return int(self._call("incr", delta, key, delta, version))

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT,
                 version: Any = None) -> list[Any]:
        return list(self._call("set_many", list(data), data, timeout, version))

    def delete_many(self, keys: Any, version: Any = None) -> None:
        self._call("delete_many", None, keys, version)

    def clear(self) -> bool:
        return bool(self._call("clear", False))


def redis_count_reading(redis_cache: RedisCache, key: Any, timeout: int,
                        others: list[Any]) -> tuple[int, list[int]]:
    """`redis_count`, and the values of the counters `others` (0 for a missing one), in the
    same round trip. Errors are the caller's."""
    name = redis_cache.make_and_validate_key(key)
    client = redis_cache._cache.get_client(name, write=True)
    pipe = client.pipeline(transaction=False)
    pipe.set(name, 0, ex=timeout, nx=True)
    pipe.incr(name)
    pipe.mget([redis_cache.make_and_validate_key(other) for other in others])
    _, count, values = pipe.execute()
    return int(count), [int(value or 0) for value in values]


def redis_count(redis_cache: RedisCache, key: Any, timeout: int) -> int:
    """Add one to the counter at `key` and answer its new value, creating it with `timeout`
    seconds to live when missing, in one round trip (SET NX EX and INCR in one pipeline). The
    value stays a plain integer, readable by `get`. Errors are the caller's."""
    name = redis_cache.make_and_validate_key(key)
    client = redis_cache._cache.get_client(name, write=True)
    pipe = client.pipeline(transaction=False)
    pipe.set(name, 0, ex=timeout, nx=True)
    pipe.incr(name)
    return int(pipe.execute()[1])
