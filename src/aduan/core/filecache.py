"""The default cache without Redis: Django's file cache with a cheaper cull (no redis import,
so a worker without Redis never loads the client)."""

from __future__ import annotations

import contextlib
import os
import time
from typing import Any

from django.core.cache.backends.filebased import FileBasedCache


class FileCache(FileBasedCache):
    """Django's file-based cache (the default without Redis), culled every CULL_EVERY writes
    instead of on every write: Django's lists the whole cache directory on each `set`/`add`,
    about half of a rate-limit count's cost on the public paths (docs/benchmarks.md). The
    directory may exceed MAX_ENTRIES by at most CULL_EVERY files between culls."""

    CULL_EVERY = 32

    def __init__(self, dir: str, params: dict[str, Any]) -> None:
        super().__init__(dir, params)
        self._writes = 0

    def _cull(self) -> None:
        self._writes += 1
        if self._writes % self.CULL_EVERY == 1:  # the first write of a process culls too
            super()._cull()

    # --- Counters (the rate limiter's, core/ratelimit.py) -------------------------------------
    # Django's add-then-incr on this cache created a temporary file, renamed it and culled the
    # directory on every first count of a key (a first status lookup counts its tracking code:
    # 0.5-0.9 ms of CPU on this machine, more in waiting), and two workers could both read
    # the same value (incr is a read then a write). A counter is one file of its own instead,
    # named by the key and its timeout, grown by one byte per count with O_APPEND: the kernel
    # serialises appends, and the offset after a process's own append is its count, exact
    # across workers. Counters whose last count is older than their timeout belong to a window
    # that has ended (the key names the window) and are removed by a sweep; at most
    # MAX_COUNTERS stay (the least recently counted go first), like the cache's own
    # MAX_ENTRIES. `clear()` removes them too. A sweep reads every counter's time, so it
    # comes after SWEEP_EVERY counts or a quarter of the counters it left, whichever is more:
    # about five counters read per count on average (every 256 counts, a directory of
    # 10,000 counters cost some 40 stat calls per count), and at most MAX_COUNTERS * 1.25 +
    # SWEEP_EVERY counters between sweeps.

    COUNTER_SUFFIX = ".djcount"
    SWEEP_EVERY = 256
    MAX_COUNTERS = 10_000

    def count(self, key: str, timeout: int, version: int | None = None) -> int:
        """Add one to the counter `key` (kept `timeout` seconds after its last count) and
        return its value after this count."""
        name = self._key_to_file(key, version)[: -len(self.cache_suffix)]
        path = f"{name}-{int(timeout)}{self.COUNTER_SUFFIX}"
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(path, flags, 0o600)
        except FileNotFoundError:  # the directory is gone (cleared): make it again
            self._createdir()
            fd = os.open(path, flags, 0o600)
        try:
            os.write(fd, b"1")
            value = os.lseek(fd, 0, os.SEEK_CUR)
        finally:
            os.close(fd)
        self._counts = counts = getattr(self, "_counts", 0) + 1
        if counts >= getattr(self, "_next_sweep", 1):  # the first count of a process sweeps
            left = self.sweep_counters()
            self._next_sweep = counts + max(self.SWEEP_EVERY, left // 4)
        return value

    def uncount(self, key: str, timeout: int, version: int | None = None) -> None:
        """Take back one count of the counter `key` (a request that turned out not to be a
        new one), if it exists and is not at zero. Not atomic with a concurrent count: one of
        them may be lost, in the counted one's favour (the limiter lets one more through)."""
        name = self._key_to_file(key, version)[: -len(self.cache_suffix)]
        path = f"{name}-{int(timeout)}{self.COUNTER_SUFFIX}"
        with contextlib.suppress(FileNotFoundError):
            fd = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
            try:
                if (size := os.fstat(fd).st_size) > 0:
                    os.ftruncate(fd, size - 1)
            finally:
                os.close(fd)

    def sweep_counters(self, now: float | None = None) -> int:
        """Remove the counters of ended windows, then the least recently counted ones over
        MAX_COUNTERS; the number of counters left."""
        now = time.time() if now is None else now
        live: list[tuple[float, str]] = []
        try:
            entries = list(os.scandir(self._dir))
        except FileNotFoundError:
            return 0
        for entry in entries:
            if not entry.name.endswith(self.COUNTER_SUFFIX):
                continue
            try:
                timeout = int(entry.name[: -len(self.COUNTER_SUFFIX)].rpartition("-")[2])
                modified = entry.stat().st_mtime
            except (ValueError, FileNotFoundError):
                continue
            if now - modified > timeout:
                self._remove(entry.path)
            else:
                live.append((modified, entry.path))
        if len(live) > self.MAX_COUNTERS:
            live.sort()
            for _, path in live[: len(live) - self.MAX_COUNTERS]:
                self._remove(path)
        return min(len(live), self.MAX_COUNTERS)

    @staticmethod
    def _remove(path: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)

    def clear(self) -> None:
        super().clear()
        self.sweep_counters(now=float("inf"))
