"""The /lacak/ per-address limit (portal.throttle.hit, core.ratelimit.sliding_count) under
simultaneous requests from one address answered by several worker processes: exactly the
limit is let through, with the file cache's table (no Redis) and with Redis."""

from __future__ import annotations

import os
import time

import pytest
from django.test import RequestFactory

from aduan.core.ratelimit import SLIDING_SLOTS, sliding_count
from aduan.portal import throttle

WORKERS, EACH, LIMIT = 6, 40, 50


def _hits(caches_setting: dict, start: float) -> list[bool]:  # type: ignore[type-arg]
    """A worker process: EACH lookups from one address from `start` on."""
    import django
    from django.conf import settings

    django.setup()
    settings.CACHES = caches_setting  # before the process's first use of its cache
    request = RequestFactory().post("/lacak/", REMOTE_ADDR="203.0.113.7")
    time.sleep(max(0.0, start - time.time()))
    return [throttle.hit("track", request, (LIMIT, 60)) for _ in range(EACH)]


def _hits_in_processes(caches_setting: dict) -> list[bool]:  # type: ignore[type-arg]
    """WORKERS processes (as gunicorn's workers) answering lookups from one address, all at
    once; every answer, allowed or not."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(WORKERS) as pool:
        start = time.time() + 4
        results = pool.starmap(_hits, [(caches_setting, start)] * WORKERS)
    return [answer for answers in results for answer in answers]


def _redis_url() -> str | None:
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/4")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=0.3).ping()
    except Exception:
        return None
    return url


@pytest.mark.parametrize("backend", ["file", "redis"])
def test_simultaneous_lookups_from_one_address_in_many_processes_get_exactly_the_limit(
        tmp_path, backend):
    if backend == "file":
        caches_setting = {"default": {"BACKEND": "aduan.core.filecache.FileCache",
                                      "LOCATION": str(tmp_path)}}
    else:
        if (url := _redis_url()) is None:
            pytest.skip("no Redis to count in")
        caches_setting = {"default": {"BACKEND": "aduan.core.cache.ResilientRedisCache",
                                      "LOCATION": url,
                                      "KEY_PREFIX": f"test-track-{os.getpid()}-{time.time()}"}}
    answers = _hits_in_processes(caches_setting)
    assert len(answers) == WORKERS * EACH
    assert answers.count(True) == LIMIT  # before: up to every one of the 240 let through


def test_the_sliding_window_lets_a_burst_go_at_most_one_slot_past_the_window(settings):
    """No 60 seconds hold more than the limit (across slot and minute boundaries), and a
    burst leaves the count at most a slot (60 / SLIDING_SLOTS s) after its 60 seconds."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "sliding-window-test"}}
    slot = 60 // SLIDING_SLOTS
    start = 6000.0 * 60 - 0.5  # just before a minute's (and a slot's) end
    assert all(sliding_count("t", "a", 3, 60, at=start) for _ in range(3))
    assert not sliding_count("t", "a", 3, 60, at=start + 0.6)  # the next minute
    assert not sliding_count("t", "a", 3, 60, at=start + 59.4)  # (refused ones count too)
    assert sliding_count("t", "b", 3, 60, at=start + 59.4)  # another address
    # The burst's slot leaves the sum within a slot past 60 s: the two refused and this one.
    assert sliding_count("t", "a", 3, 60, at=start + 60 + slot)
    assert not sliding_count("t", "a", 3, 60, at=start + 60 + slot)
