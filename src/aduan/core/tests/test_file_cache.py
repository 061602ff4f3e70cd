"""The default cache without Redis (core/filecache.py): Django's file cache culled every
few writes, still bounded."""

from __future__ import annotations

import os
import time

from aduan.core.filecache import FileCache


def test_file_cache_counts_and_stays_bounded(tmp_path):
    cache = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 50, "CULL_FREQUENCY": 2}})
    assert cache.add("rl", 1, timeout=60)
    assert not cache.add("rl", 1, timeout=60)
    assert cache.incr("rl") == 2
    for i in range(500):
        cache.set(f"key-{i}", i, timeout=60)
        files = [f for f in os.listdir(tmp_path) if f.endswith(".djcache")]
        assert len(files) <= 50 + FileCache.CULL_EVERY
    assert cache.get("key-499") == 499


# --- The rate limiter's counters (FileCache.count, core/ratelimit.py) -----------------------


def _count_many(directory: str, key: str, times: int) -> list[int]:
    cache = FileCache(directory, {})
    return [cache.count(key, 60) for _ in range(times)]


def test_counters_are_exact_across_processes(tmp_path):
    """Two workers counting one key at once: every count is seen once (Django's add-then-incr
    let both read the same value)."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(2) as pool:
        results = pool.starmap(_count_many, [(str(tmp_path), "k", 300)] * 2)
    seen = sorted(results[0] + results[1])
    assert seen == list(range(1, 601))
    assert FileCache(str(tmp_path), {}).count("k", 60) == 601


def test_counters_of_ended_windows_and_past_the_bound_are_removed(tmp_path):
    cache = FileCache(str(tmp_path), {})
    cache.SWEEP_EVERY = 10**9  # sweeps by hand below (the first count of a process sweeps)
    cache.set("entry", "value")
    assert [cache.count("short", 60) for _ in range(3)] == [1, 2, 3]
    assert cache.count("long", 3600) == 1
    counters = lambda: sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".djcount")  # noqa: E731
    assert len(counters()) == 2
    now = time.time()
    cache.sweep_counters(now=now + 30)
    assert len(counters()) == 2  # both windows still open
    cache.sweep_counters(now=now + 61)
    assert [name.rpartition("-")[2] for name in counters()] == ["3600.djcount"]
    assert cache.count("short", 60) == 1  # a new window starts at one
    assert cache.get("entry") == "value"  # cache entries are not counters
    cache.MAX_COUNTERS = 1
    later = tmp_path / next(n for n in counters() if n.endswith("-60.djcount"))
    os.utime(later, (now + 5, now + 5))
    cache.sweep_counters(now=now)
    assert counters() == [later.name]  # the least recently counted went first
    cache.clear()
    assert counters() == [] and cache.get("entry") is None
    assert cache.count("short", 60) == 1


def test_sweeps_read_a_few_counters_per_count_however_many_there_are(tmp_path):
    """A sweep reads every counter; sweeps come after a quarter of the counters left by the
    last one (at least SWEEP_EVERY counts), so a count pays for a few reads, not for the
    directory (every 256 counts, 10,000 counters cost some 40 reads per count)."""
    cache = FileCache(str(tmp_path), {})
    cache.SWEEP_EVERY = 8
    read: list[int] = []
    sweep = cache.sweep_counters

    def counted_sweep(now: float | None = None) -> int:
        left = sweep(now)
        read.append(left)
        return left

    cache.sweep_counters = counted_sweep  # type: ignore[method-assign]
    counts = 2000
    for i in range(counts):
        cache.count(f"code-{i}", 3600)  # every count a new counter, as first lookups are
    assert read[0] == 1 and read[1] == 9  # the first count sweeps; then every SWEEP_EVERY
    assert sum(read) <= 6 * counts
    assert len(read) < 40  # every 8 counts would be 250 sweeps
    cache.MAX_COUNTERS = 100
    cache.count("one-more", 3600)
    cache.sweep_counters()
    assert len([p for p in tmp_path.iterdir() if p.suffix == ".djcount"]) == 100


def test_the_rate_limiter_counts_on_the_file_cache(tmp_path, monkeypatch):
    from aduan.core import ratelimit

    monkeypatch.setattr(ratelimit, "cache", FileCache(str(tmp_path), {}))
    monkeypatch.setattr(ratelimit, "limit_for", lambda scope: (3, 3600))
    assert [ratelimit.rate_count("track_code", "abc") for _ in range(3)] == [None] * 3
    retry = ratelimit.rate_count("track_code", "abc")
    assert retry is not None and 0 < retry <= 3600
    assert ratelimit.rate_count("track_code", "other") is None
    assert len([p for p in tmp_path.iterdir() if p.suffix == ".djcount"]) == 2
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".djcache"]  # no add/incr


def _refunds(monkeypatch, backend) -> None:  # type: ignore[no-untyped-def]
    from aduan.core import ratelimit

    monkeypatch.setattr(ratelimit, "cache", backend)
    monkeypatch.setattr(ratelimit, "limit_for", lambda scope: (2, 3600))
    at = int(time.time())  # the counts' time, passed to their refunds
    ratelimit.rate_refund("web_submit", "nobody", at=at)  # nothing counted: nothing to take back
    assert [ratelimit.rate_count("web_submit", "abc", at=at) for _ in range(2)] == [None, None]
    ratelimit.rate_refund("web_submit", "abc", at=at)  # a replay: its count taken back
    assert ratelimit.rate_count("web_submit", "abc", at=at) is None
    assert ratelimit.rate_count("web_submit", "abc", at=at) is not None
    for _ in range(5):  # never below zero
        ratelimit.rate_refund("web_submit", "abc", at=at)
    assert [ratelimit.rate_count("web_submit", "abc", at=at) is None for _ in range(3)] == [
        True, True, False]


def test_a_replays_count_is_taken_back_on_each_cache(tmp_path, monkeypatch):
    """`rate_refund` (a replayed web form, portal/views.py) on the file cache, Django's local
    memory cache and Redis (production's, ADUAN_TEST_REDIS_URL as in test_trust_inputs.py)."""
    from django.core.cache.backends.locmem import LocMemCache
    from django.core.cache.backends.redis import RedisCache

    _refunds(monkeypatch, FileCache(str(tmp_path), {}))
    _refunds(monkeypatch, LocMemCache("refund", {}))
    _refunds(monkeypatch, RedisCache(
        os.environ.get("ADUAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/8"),
        {"KEY_PREFIX": f"test-refund-{os.getpid()}-{time.time_ns()}"}))
