"""The default cache without Redis (core/filecache.py): Django's file cache culled every
few writes, still bounded, and the rate limiter's counters in one table file."""

from __future__ import annotations

import contextlib
import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


class SmallTable(FileCache):
    """A table of 4 groups of 2 slots: most keys spill to file counters."""

    TABLE_SLOTS = 8
    GROUP_SLOTS = 2


def _counters(path) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(p.name for p in path.iterdir() if p.suffix == ".djcount")


def _count_many(directory: str, key: str, times: int, start: float) -> list[int]:
    cache = FileCache(directory, {})
    cache.count("warm", 60)  # the table mapped before the start
    time.sleep(max(0.0, start - time.time()))  # both processes count at once
    return [cache.count(key, 60) for _ in range(times)]


def test_counters_are_exact_across_processes(tmp_path):
    """Two workers counting one key at once: every count is seen once (Django's add-then-incr
    let both read the same value)."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(2) as pool:
        start = time.time() + 3
        results = pool.starmap(_count_many, [(str(tmp_path), "k", 20_000, start)] * 2)
    seen = sorted(results[0] + results[1])
    assert seen == list(range(1, 40_001))
    assert FileCache(str(tmp_path), {}).count("k", 60) == 40_001


def _count_keys(directory: str, seed: int, times: int, start: float) -> list[tuple[str, int]]:
    import random

    cache = SmallTable(directory, {})
    rng = random.Random(seed)
    time.sleep(max(0.0, start - time.time()))
    return [(key, cache.count(key, 3600)) for key in (f"k{rng.randrange(12)}" for _ in range(times))]


def test_counters_are_exact_across_processes_when_the_table_is_full(tmp_path):
    """12 keys in a table of 8 slots (groups of 2), two processes at once: the keys that
    spill to file counters and those in the table are all exact."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(2) as pool:
        start = time.time() + 3
        results = pool.starmap(_count_keys, [(str(tmp_path), 1, 3000, start),
                                             (str(tmp_path), 2, 3000, start)])
    seen: dict[str, list[int]] = {}
    for key, value in results[0] + results[1]:
        seen.setdefault(key, []).append(value)
    for values in seen.values():
        assert sorted(values) == list(range(1, len(values) + 1))
    assert _counters(tmp_path)  # some spilled


def test_a_new_counter_creates_no_file(tmp_path):
    """The counters of 2,000 first lookups live in one table file (a file per new key was
    8.5-20 % of a lookup's worker CPU, docs/benchmarks.md)."""
    cache = FileCache(str(tmp_path), {})
    assert [cache.count(f"code-{i}", 3600) for i in range(2000)] == [1] * 2000
    assert [cache.count(f"code-{i}", 3600) for i in range(0, 2000, 7)] == [2] * 286
    assert [p.name for p in tmp_path.iterdir()] == ["counters-131072x16.table"]
    assert (tmp_path / "counters-131072x16.table").stat().st_size == 131072 * 16 + 8192 * 4


def test_windows_end_and_counts_are_taken_back_but_not_below_zero(tmp_path):
    cache = FileCache(str(tmp_path), {})
    now = [1_000_000.0]
    cache._clock = lambda: now[0]  # type: ignore[method-assign]
    assert [cache.count("short", 60) for _ in range(3)] == [1, 2, 3]
    assert cache.count("long", 3600) == 1
    now[0] += 59
    assert cache.count("short", 60) == 4  # the window ends 60 s after its first count
    now[0] += 1
    assert cache.count("short", 60) == 1  # a new window starts at one
    assert cache.count("long", 3600) == 2
    for _ in range(3):
        cache.uncount("long", 3600)
    cache.uncount("never", 60)
    assert cache.count("long", 3600) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["counters-131072x16.table"]


def test_clear_and_a_removed_directory(tmp_path):
    import shutil

    directory = tmp_path / "cache"
    cache = FileCache(str(directory), {})  # a fresh machine: no directory yet
    cache.CHECK_EVERY = 0
    cache.set("entry", "value")
    assert [cache.count("k", 60) for _ in range(2)] == [1, 2]
    cache.clear()
    assert cache.get("entry") is None
    assert cache.count("k", 60) == 1
    other = FileCache(str(directory), {})
    other.CHECK_EVERY = 0
    assert other.count("k", 60) == 2  # one table for both
    shutil.rmtree(directory)
    assert cache.count("k", 60) == 1  # the directory made again, the table re-opened
    assert other.count("k", 60) == 2 and cache.count("k", 60) == 3


@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded")
def test_a_table_opened_before_a_fork_is_the_childs_too(tmp_path):
    """Mapped in a parent (a preloading gunicorn master), counted in two forked children at
    once: one table, exact."""
    import json

    cache = FileCache(str(tmp_path), {})
    assert cache.count("k", 60) == 1
    children = []
    for _ in range(2):
        read, write = os.pipe()
        if (pid := os.fork()) == 0:  # pragma: no cover (the child)
            try:
                os.write(write, json.dumps([cache.count("k", 60) for _ in range(200)]).encode())
            finally:
                os._exit(0)
        os.close(write)
        children.append((pid, read))
    seen = []
    for pid, read in children:
        with os.fdopen(read, "rb") as answer:
            seen += json.loads(answer.read())
        os.waitpid(pid, 0)
    assert sorted(seen) == list(range(2, 402))
    assert cache.count("k", 60) == 402


def test_a_full_group_spills_to_file_counters_and_finds_them_again(tmp_path):
    cache = SmallTable(str(tmp_path), {})
    now = [float(int(time.time()))]  # file counters' times are the file system's
    cache._clock = lambda: now[0]  # type: ignore[method-assign]
    keys = [f"k{i}" for i in range(40)]
    assert [cache.count(k, 60) for k in keys] == [1] * 40
    assert len(_counters(tmp_path)) == 40 - 8  # 8 in the table
    assert [cache.count(k, 60) for k in keys] == [2] * 40
    for k in keys:
        cache.uncount(k, 60)
    assert [cache.count(k, 60) for k in keys] == [2] * 40
    now[0] += 30
    assert [cache.count(k, 60) for k in keys[::-1]] == [3] * 40
    now[0] += 30  # every window has ended (60 s after its first count)
    assert [cache.count(k, 60) for k in keys[::-1]] == [1] * 40


def test_a_spilled_key_is_found_in_its_file_while_a_slot_is_free(tmp_path):
    cache = SmallTable(str(tmp_path), {})
    now = [float(int(time.time()))]
    cache._clock = lambda: now[0]  # type: ignore[method-assign]
    keys = [f"k{i}" for i in range(40)]
    assert [cache.count(k, 10) for k in keys[:20]] == [1] * 20  # 8 in the table: 10 s windows
    assert [cache.count(k, 60) for k in keys[20:]] == [1] * 20  # all spilled
    now[0] += 10  # the table's windows ended: its slots are free, and the spilled keys,
    counted = [cache.count(k, 60) for k in keys[::-1]]  # counted first, find their files
    assert counted == [2] * 20 + [1] * 20


def test_fallback_counters_of_ended_windows_and_past_the_bound_are_removed(tmp_path):
    cache = SmallTable(str(tmp_path), {})
    cache.SWEEP_EVERY = 10**9  # sweeps by hand below
    cache.set("entry", "value")
    now = float(int(time.time()))
    cache._clock = lambda: now  # type: ignore[method-assign]
    for i in range(20):
        cache.count(f"short-{i}", 60)
    for i in range(10):
        cache.count(f"long-{i}", 3600)
    spilled = _counters(tmp_path)
    assert len(spilled) == 30 - 8
    cache.sweep_counters(now=now + 30)
    assert _counters(tmp_path) == spilled  # all windows still open
    cache.sweep_counters(now=now + 62)
    assert all(name.endswith("-3600.djcount") for name in _counters(tmp_path))
    assert cache.get("entry") == "value"  # cache entries are not counters
    cache.MAX_COUNTERS = 1
    cache.sweep_counters(now=now)
    assert len(_counters(tmp_path)) == 1
    cache.clear()
    assert _counters(tmp_path) == [] and cache.get("entry") is None


def test_an_earlier_stores_counter_files_are_swept_when_the_table_opens(tmp_path):
    old = tmp_path / "0123456789abcdef-3601.djcount"
    old.write_bytes(b"111")
    os.utime(old, (time.time() - 4000, time.time() - 4000))
    FileCache(str(tmp_path), {}).count("k", 60)
    assert not old.exists()


def test_sweeps_read_a_few_counters_per_spilled_count(tmp_path):
    """A sweep reads every file counter; sweeps come after a quarter of the counters left by
    the last one (at least SWEEP_EVERY spilled counts)."""

    class NoTable(FileCache):
        TABLE_SLOTS = 1
        GROUP_SLOTS = 1

    cache = NoTable(str(tmp_path), {})
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
        cache.count(f"code-{i}", 3600)
    assert sum(read) <= 6 * counts
    assert len(read) < 40  # every 8 counts would be 250 sweeps
    cache.MAX_COUNTERS = 100
    cache.count("one-more", 3600)
    cache.sweep_counters()
    assert len(_counters(tmp_path)) == 100


# A model of the counters (a dict of value and window end) against the store under random
# counts, take-backs and clock steps.
_KEYS = ["a", "b", "c", "d", "e", "f"]
_OPS = st.lists(st.tuples(st.sampled_from(["count", "uncount", "wait"]), st.sampled_from(_KEYS),
                          st.sampled_from([5, 60]), st.integers(0, 30)), max_size=60)


def _check_model(cache: FileCache, ops) -> None:  # type: ignore[no-untyped-def]
    now = [float(int(time.time()))]  # file counters' times are the file system's
    cache._clock = lambda: now[0]  # type: ignore[method-assign]
    cache.clear()
    model: dict[tuple[str, int], tuple[int, float]] = {}
    for op, key, timeout, step in ops:
        value, ends = model.get((key, timeout), (0, 0.0))
        if ends <= now[0]:
            value, ends = 0, now[0] + timeout
        if op == "count":
            model[(key, timeout)] = (value + 1, ends)
            assert cache.count(f"{key}:{timeout}", timeout) == value + 1
        elif op == "uncount":
            cache.uncount(f"{key}:{timeout}", timeout)
            if value:
                model[(key, timeout)] = (value - 1, ends)
        else:
            now[0] += step


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=_OPS)
def test_the_table_behaves_as_a_dict_of_counters(tmp_path, ops):
    _check_model(FileCache(str(tmp_path / "t"), {}), ops)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=_OPS)
def test_a_full_table_behaves_as_a_dict_of_counters(tmp_path, ops):
    _check_model(SmallTable(str(tmp_path / "s"), {}), ops)


def test_the_rate_limiter_counts_on_the_file_cache(tmp_path, monkeypatch):
    from aduan.core import ratelimit

    monkeypatch.setattr(ratelimit, "cache", FileCache(str(tmp_path), {}))
    monkeypatch.setattr(ratelimit, "limit_for", lambda scope: (3, 3600))
    assert [ratelimit.rate_count("track_code", "abc") for _ in range(3)] == [None] * 3
    retry = ratelimit.rate_count("track_code", "abc")
    assert retry is not None and 0 < retry <= 3600
    assert ratelimit.rate_count("track_code", "other") is None
    assert [p.name for p in tmp_path.iterdir()] == ["counters-131072x16.table"]  # no add/incr


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


def test_the_tables_blocks_are_allocated_when_it_opens(tmp_path):
    # A sparse table's pages get their disk blocks on the first write into them: on a full
    # disk the kernel answers that write with SIGBUS, which kills the worker (no exception for
    # the limiter to fail open on), request after request. Allocated when opened, a full disk
    # is an OSError there instead. An existing sparse table (the earlier code's) is filled too.
    table = tmp_path / "counters-131072x16.table"
    table.write_bytes(b"")
    os.truncate(table, 131072 * 16 + 8192 * 4)
    FileCache(str(tmp_path), {}).count("k", 60)
    assert table.stat().st_blocks * 512 >= 131072 * 16 + 8192 * 4


def _count_on(directory: str) -> None:
    cache = FileCache(directory, {})
    for i in range(2000):
        cache.count(f"k{i}", 60)


def test_a_full_disk_is_an_error_not_a_dead_process(tmp_path):
    # A real full file system (a 256 KiB tmpfs, filled): needs root to mount one.
    import multiprocessing
    import subprocess

    mount = tmp_path / "full"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
            check=False, capture_output=True).returncode:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        with open(mount / "fill", "wb") as fill, contextlib.suppress(OSError):
            while True:
                fill.write(b"\0" * 4096)
                fill.flush()
        child = multiprocessing.get_context("spawn").Process(
            target=_count_on, args=(str(mount / "cache"),))
        child.start()
        child.join(60)
        assert child.exitcode != -7  # SIGBUS before the fix
        assert child.exitcode == 1   # OSError (ENOSPC) raised, for the limiter to fail open on
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def _table_descriptors() -> int:
    count = 0
    for name in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            count += "counters-131072x16.table" in os.readlink(f"/proc/self/fd/{name}")
    return count


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_a_cache_object_per_request_maps_the_table_once_per_process(tmp_path):
    # Under ASGI Django's caches are per request context, so each request makes a FileCache
    # of its own: each one mapped the table anew (open, mmap, a sweep of the directory) and
    # its descriptor was never closed, one more per request until the process ran out.
    import gc

    before = _table_descriptors()
    for i in range(50):
        assert FileCache(str(tmp_path), {}).count("k", 60) == i + 1
    gc.collect()
    assert _table_descriptors() - before <= 2  # the process's one mapping (mmap holds a dup)


# --- Unlucky days: the table file truncated under the map, a lock holder stopped ------------

_TABLE_SIZE = 131072 * 16 + 8192 * 4


def _count_around_a_truncation(directory: str, conn) -> list[int]:  # type: ignore[no-untyped-def]
    cache = FileCache(directory, {})
    conn.send([cache.count(f"k{i}", 3600) for i in range(2000)])
    conn.recv()  # the parent has truncated the file
    conn.send([cache.count(f"k{i}", 3600) for i in range(2000)])
    return []


@pytest.mark.parametrize(("size", "after"), [
    (0, 1),                  # `: > file`: the counts are gone, the counters start again
    (_TABLE_SIZE - 4096, 2), # the last groups' overflow words cut off: the slots are kept
])
def test_a_table_truncated_in_place_is_grown_back_not_a_dead_worker(tmp_path, size, after):
    # A mapped page past the file's end answers with SIGBUS, which Python cannot catch: the
    # worker that counted next died (exit -7), and each one after it until a new process
    # grew the file when it opened it. Real processes: the child maps, the parent truncates.
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    child = context.Process(target=_count_around_a_truncation, args=(str(tmp_path), theirs))
    child.start()
    try:
        assert ours.recv() == [1] * 2000
        os.truncate(tmp_path / "counters-131072x16.table", size)
        ours.send("truncated")
        child.join(60)
        assert child.exitcode == 0  # -7 (SIGBUS) before
        assert ours.recv() == [after] * 2000
    finally:
        if child.is_alive():
            child.kill()
    assert (tmp_path / "counters-131072x16.table").stat().st_size == _TABLE_SIZE
    assert FileCache(str(tmp_path), {}).count("k0", 3600) == after + 1


def _hold_a_group_lock_stopped(directory: str, key: str) -> None:
    import signal

    cache = FileCache(directory, {})
    cache.count(key, 3600)
    with cache._locked(cache._group(key, None)[1]):
        os.kill(os.getpid(), signal.SIGSTOP)  # a debugger's breakpoint, a SIGSTOP


def _count_timed(directory: str, key: str, conn) -> None:  # type: ignore[no-untyped-def]
    cache = FileCache(directory, {})
    cache.count("warm", 3600)
    started = time.monotonic()
    values = [cache.count(key, 3600) for _ in range(20)]
    conn.send((values, time.monotonic() - started))


def _state(pid: int) -> str:
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rpartition(")")[2].split()[0]


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
def test_a_stopped_process_holding_a_groups_lock_does_not_stall_the_others(tmp_path):
    # A worker stopped inside a count kept its group's fcntl lock, and every other worker
    # counting a key of that group waited for it forever. Now a count waits LOCK_WAIT (5 ms),
    # asks whether the holder is stopped, and if so counts without the lock: 20 counts take
    # ~0.1 s (not 20 x LOCK_WAIT_MAX: the stop is seen), and none is lost.
    import multiprocessing
    import signal

    context = multiprocessing.get_context("spawn")
    holder = context.Process(target=_hold_a_group_lock_stopped, args=(str(tmp_path), "k"))
    holder.start()
    try:
        deadline = time.monotonic() + 60
        while _state(holder.pid) != "T":  # type: ignore[arg-type]
            assert time.monotonic() < deadline
            time.sleep(0.01)
        ours, theirs = context.Pipe()
        counter = context.Process(target=_count_timed, args=(str(tmp_path), "k", theirs))
        counter.start()
        counter.join(60)
        assert counter.exitcode == 0  # before: still waiting, exit code None
        values, seconds = ours.recv()
        assert values == list(range(2, 22))  # the holder's count, then these, all counted
        assert seconds < 20 * FileCache.LOCK_WAIT_MAX / 2
    finally:
        os.kill(holder.pid, signal.SIGCONT)  # type: ignore[arg-type]
        holder.join(60)
    assert holder.exitcode == 0
    assert FileCache(str(tmp_path), {}).count("k", 3600) == 22  # locked again


def _hold_a_group_lock_asleep(directory: str, key: str, conn) -> None:  # type: ignore[no-untyped-def]
    cache = FileCache(directory, {})
    with cache._locked(cache._group(key, None)[1]):
        conn.send("held")
        conn.recv()  # asleep, not stopped: a holder whose state says nothing


def test_a_lock_held_past_the_longest_wait_is_counted_without(tmp_path):
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    holder = context.Process(target=_hold_a_group_lock_asleep, args=(str(tmp_path), "k", theirs))
    holder.start()
    try:
        assert ours.recv() == "held"
        cache = FileCache(str(tmp_path), {})
        started = time.monotonic()
        assert [cache.count("k", 3600) for _ in range(3)] == [1, 2, 3]
        assert time.monotonic() - started >= 3 * FileCache.LOCK_WAIT_MAX
    finally:
        ours.send("done")
        holder.join(60)


def test_peek_reads_a_counter_without_counting_in_the_table_and_in_file_counters(tmp_path):
    cache = SmallTable(str(tmp_path), {})
    now = [float(int(time.time()))]  # file counters' times are the file system's
    cache._clock = lambda: now[0]  # type: ignore[method-assign]
    keys = [f"k{i}" for i in range(20)]  # 8 in the table, 12 spilled to files
    for n, key in enumerate(keys):
        for _ in range(n % 5 + 1):
            cache.count(key, 60)
    assert _counters(tmp_path)
    assert [cache.peek(key, 60) for key in keys] == [n % 5 + 1 for n in range(20)]
    assert [cache.peek(key, 60) for key in keys] == [n % 5 + 1 for n in range(20)]
    assert cache.peek("never-counted", 60) == 0
    now[0] += 61  # every window ended
    assert [cache.peek(key, 60) for key in keys] == [0] * 20
