"""The default cache without Redis: Django's file cache with a cheaper cull (no redis import,
so a worker without Redis never loads the client) and the rate limiter's counters in one
memory-mapped table."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import logging
import mmap
import os
import struct
import threading
import time
from collections.abc import Iterator
from typing import Any

from django.core.cache.backends.filebased import FileBasedCache

logger = logging.getLogger(__name__)


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
    # A table of counters in one file per cache directory (`counters-131072x16.table`, created
    # once, never deleted by us), memory-mapped once per process: TABLE_SLOTS slots of 16 bytes
    # (the key's 64-bit blake2b hash, the window's end in whole seconds, the count), in groups
    # of GROUP_SLOTS; a key lives in the group its hash names. A count is a read-modify-write
    # of its group under an fcntl lock of the group (2 syscalls: lock, unlock; a process's
    # threads also take a lock of the process, since fcntl locks are the process's; the lock's
    # range, its wait and the file truncated under the map: "Unlucky days" below),
    # so two workers never both see one value, and no file is created or deleted per key:
    # creating one (the earlier one-file-per-counter store) was 8.5-20 % of a lookup's worker
    # CPU (docs/benchmarks.md). A counter's window ends `timeout` seconds after its first count,
    # as Redis's does (core/cache.py's redis_count); a slot whose window has ended is free. The
    # slot holds the key's hash, not its timeout: a key is counted with one timeout (the
    # limiter's keys name their window). Two keys are taken for one only if their 64-bit
    # hashes are equal: with at most 2**17 live keys, a chance below 2**17 / 2**64 = 2**-47 per
    # new key, i.e. never in practice.
    #
    # Bounded: the table is TABLE_SLOTS * 16 bytes plus 4 bytes per group (2 MiB + 32 KiB,
    # allocated on disk when opened: not a sparse file, see _grow). When a key's group
    # holds GROUP_SLOTS live other keys (with 20,000 live keys, 2.4 a group on average, about one group in 10**9 is full), the key is
    # counted in a file of its own as before (below), and the group remembers until when such
    # files may be live, so the key's later counts find its file first even when a slot has
    # come free: a full table never allows or refuses wrongly.
    #
    # The fallback, one file per counter: named by the key and its timeout, grown by one byte
    # per count with O_APPEND under the group's lock (the offset after the append is the
    # count), its modification time set back to its window's start after each count, so its
    # window ends `timeout` seconds after its first count as in the table. Counters of ended
    # windows are removed by a sweep; at most MAX_COUNTERS stay (the oldest windows go first).
    # A sweep reads every counter's time, so it comes after SWEEP_EVERY fallback counts or a
    # quarter of the counters it left, whichever is more; each process also sweeps once when
    # it opens the table, which removes the files of the earlier store (their windows are an
    # hour at most: their counts are dropped on upgrade, at most one window's worth more).
    #
    # Unlucky days (docs/operations.md, "Rate counters without Redis"):
    # - The file truncated in place (`: > file`, a restore, a clean-up tool): a mapped page past
    #   the file's end answers a read or write with SIGBUS, which Python cannot catch: the
    #   worker dies. So the lock proves the group's bytes are inside the file, in the lock's own
    #   syscall: group g's lock is 4 bytes at offset `-(end of g's overflow word)` from the
    #   file's end (the mirror of the overflow words, a distinct range per group while the
    #   file has its size), which the kernel refuses (EINVAL) when the file is shorter than
    #   that end, i.e. whenever any byte of the group (its slots lie below its overflow word)
    #   is outside it. The count then grows the file back (the counts are lost, as the
    #   operator meant; every process's map is valid again: same inode) and locks again. What
    #   remains: a truncation in the microseconds between a count's lock and its last access
    #   (see the operations section for the odds). Unlocking releases the whole file (one
    #   range held per process at a time), so it needs no size.
    # - A process stopped (SIGSTOP, a debugger) while it holds a group's lock: the lock is
    #   taken without blocking and retried; after LOCK_WAIT seconds the count asks the kernel
    #   which process holds it (F_GETLK) and /proc whether that one is stopped (state T or t),
    #   and if so goes on without the lock; a holder that is running, only descheduled on a
    #   busy machine (tens of ms), is waited for, up to LOCK_WAIT_MAX. A limit must not become
    #   a way to stop the portal, and a count without the lock is still a count: it loses one
    #   only when another process counts the same slot in the same microseconds, or when the
    #   stopped holder, resumed, writes back the one slot it was counting (the value it read
    #   before it stopped, plus one: that key's counts made during the stop are lost, one more
    #   round of its limit at most, once). Refusing (429 for
    #   every key of the group) or allowing uncounted would drop the service or the limit for
    #   1/8192 of keys for as long as the process stays stopped.

    COUNTER_SUFFIX = ".djcount"
    SWEEP_EVERY = 256
    MAX_COUNTERS = 10_000
    TABLE_SLOTS = 131_072
    GROUP_SLOTS = 16
    # How often (seconds) a process checks that its table file is still the directory's (the
    # directory removed, e.g. by hand: the process re-opens, as every other one does).
    CHECK_EVERY = 1.0
    # How long (seconds) a count waits for a group's lock held by another process before it
    # asks whether that process is stopped, and how long at most (see "Unlucky days").
    LOCK_WAIT = 0.005
    LOCK_WAIT_MAX = 0.5
    _SLOT = struct.Struct("<QII")
    _WORD = struct.Struct("<I")

    @property
    def _table_name(self) -> str:
        return os.path.join(self._dir, f"counters-{self.TABLE_SLOTS}x{self.GROUP_SLOTS}.table")

    def _mapped(self) -> _Mapped:
        """The process's map of this directory's table, (re-)opened after a fork or when its
        file was removed. One per process and directory, not per cache object: Django makes a
        cache object per thread and, under ASGI, per request. Called under _thread_lock[0],
        which is held wherever a map is used or closed."""
        name = self._table_name
        mapped = _tables.get(name)
        if mapped is None or mapped.fork != _forks[0]:
            return self._open_table(name)
        if (now := time.monotonic()) - mapped.checked >= self.CHECK_EVERY:
            mapped.checked = now
            try:
                removed = os.stat(name).st_ino != os.fstat(mapped.fd).st_ino
            except FileNotFoundError:
                removed = True
            if removed:
                return self._open_table(name)
        return mapped

    def _open_table(self, name: str) -> _Mapped:
        """Map the table (creating it and the directory if missing)."""
        if (old := _tables.pop(name, None)) is not None:
            # Closing a descriptor drops the process's fcntl locks on that file, another
            # thread's too: only under _thread_lock[0], so while none holds one.
            old.table.close()
            os.close(old.fd)
        size = self._table_size()
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(name, flags, 0o600)
        except FileNotFoundError:  # the directory is gone (or never was): make it
            self._createdir()
            fd = os.open(name, flags, 0o600)
        try:
            self._grow(fd)
            table = mmap.mmap(fd, size)
        except BaseException:
            os.close(fd)
            raise
        _tables[name] = mapped = _Mapped(table, fd, _forks[0], time.monotonic())
        self.sweep_counters()  # leftovers of ended windows and of the earlier store
        return mapped

    def _table_size(self) -> int:
        return self.TABLE_SLOTS * 16 + (self.TABLE_SLOTS // self.GROUP_SLOTS) * 4

    def _grow(self, fd: int) -> None:
        """Give the table file its size and its blocks (new: zeros; truncated: zeros again).
        The blocks, now: a sparse page gets its block on the first write into the map, and on
        a full disk the kernel answers that write with SIGBUS, which kills the worker where an
        OSError here lets the limiter fail open. Blocks already allocated are kept (one
        syscall). No ftruncate first: it would make the file its full size without blocks if
        the allocation then failed, and another process's lock would take the size for
        proof that the map may be written."""
        os.posix_fallocate(fd, 0, self._table_size())

    def _group(self, key: str, version: int | None) -> tuple[int, int]:
        """The key's hash and its group's first slot."""
        digest = hashlib.blake2b(self.make_key(key, version).encode(), digest_size=8).digest()
        hashed = int.from_bytes(digest, "little") or 1  # 0 marks an empty slot
        groups = self.TABLE_SLOTS // self.GROUP_SLOTS
        return hashed, (hashed % groups) * self.GROUP_SLOTS

    @contextlib.contextmanager
    def _locked(self, first: int) -> Iterator[_Mapped]:
        with _thread_lock[0]:  # threads of one process share its fcntl locks
            mapped = self._mapped()
            # From the file's end: refused while the group is not all inside the file.
            # (_overflow_offset(first) + 4, spelled out: a method call is 3 % of a count)
            start = -(self.TABLE_SLOTS * 16 + first // self.GROUP_SLOTS * 4 + 4)
            try:
                fcntl.lockf(mapped.fd, _LOCK_NOW, 4, start, os.SEEK_END)
                locked = True
            except OSError:  # held, or the file was truncated
                locked = self._lock(mapped, 4, start, os.SEEK_END)
            try:
                yield mapped
            finally:
                if locked:
                    fcntl.lockf(mapped.fd, fcntl.LOCK_UN)  # the whole file: no size needed

    def _lock(self, mapped: _Mapped, length: int, start: int, whence: int) -> bool:
        """Lock the range (see "Unlucky days"): True, or False if its holder is stopped or
        held it past LOCK_WAIT_MAX (the caller goes on without it). A file too short for the
        range is grown back first; an OSError if that fails (the limiter fails open)."""
        grown = False
        began = 0.0
        delay = 0.0001
        while True:
            try:
                fcntl.lockf(mapped.fd, _LOCK_NOW, length, start, whence)
                return True
            except OSError as exc:
                if exc.errno == errno.EINVAL and not grown:  # the file was truncated
                    self._grow(mapped.fd)
                    grown = True
                    continue
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
            now = time.monotonic()
            if not began:
                began = now
            elif now - began >= self.LOCK_WAIT_MAX or (
                    now - began >= self.LOCK_WAIT
                    and _stopped(_holder(mapped.fd, length, start, whence))):
                _warn_stalled()
                return False
            time.sleep(delay)
            delay = min(delay * 2, 0.001)

    def _find(self, table: mmap.mmap, hashed: int, first: int, now: int) -> tuple[int, int]:
        """The key's live slot (or -1) and the group's first free one (or -1)."""
        free = -1
        unpack = self._SLOT.unpack_from
        for slot in range(first, first + self.GROUP_SLOTS):
            slot_hash, ends, _ = unpack(table, slot * 16)
            if ends <= now:
                if free < 0:
                    free = slot
            elif slot_hash == hashed:
                return slot, free
        return -1, free

    def _overflow_offset(self, first: int) -> int:
        return self.TABLE_SLOTS * 16 + (first // self.GROUP_SLOTS) * 4

    def count(self, key: str, timeout: int, version: int | None = None) -> int:
        """Add one to the counter `key` (whose window ends `timeout` seconds after its first
        count) and return its value after this count."""
        hashed, first = self._group(key, version)
        now = int(self._clock())
        with self._locked(first) as mapped:
            table = mapped.table
            slot, free = self._find(table, hashed, first, now)
            if slot >= 0:
                value = int(self._SLOT.unpack_from(table, slot * 16)[2]) + 1
                self._WORD.pack_into(table, slot * 16 + 12, min(value, 0xFFFFFFFF))
                return value
            overflow = self._overflow_offset(first)
            spilled = self._WORD.unpack_from(table, overflow)[0] > now
            if free >= 0 and not (spilled and self._file_exists(key, timeout, version)):
                ends = min(now + max(int(timeout), 1), 0xFFFFFFFF)
                self._SLOT.pack_into(table, free * 16, hashed, ends, 1)
                return 1
            # The group is full (or the key already spilled): a file counter, remembered.
            ends = min(now + max(int(timeout), 1), 0xFFFFFFFF)
            if ends > self._WORD.unpack_from(table, overflow)[0]:
                self._WORD.pack_into(table, overflow, ends)
            value = self._file_count(key, timeout, version, now)
            mapped.counts = counts = mapped.counts + 1
            sweep = counts >= mapped.next_sweep
        if sweep:
            left = self.sweep_counters()
            mapped.next_sweep = counts + max(self.SWEEP_EVERY, left // 4)
        return value

    def uncount(self, key: str, timeout: int, version: int | None = None) -> None:
        """Take back one count of the counter `key` (a request that turned out not to be a
        new one), if it exists and is not at zero."""
        hashed, first = self._group(key, version)
        now = int(self._clock())
        with self._locked(first) as mapped:
            table = mapped.table
            slot, _ = self._find(table, hashed, first, now)
            if slot >= 0:
                value = self._SLOT.unpack_from(table, slot * 16)[2]
                if value > 0:
                    self._WORD.pack_into(table, slot * 16 + 12, value - 1)
            elif self._WORD.unpack_from(table, self._overflow_offset(first))[0] > now:
                self._file_uncount(key, timeout, version)

    def peek(self, key: str, timeout: int, version: int | None = None) -> int:
        """The counter `key`'s value (0 when it has none, or its window ended), counting
        nothing; read under its group's lock, as `count` writes it."""
        hashed, first = self._group(key, version)
        now = int(self._clock())
        with self._locked(first) as mapped:
            table = mapped.table
            slot, _ = self._find(table, hashed, first, now)
            if slot >= 0:
                return int(self._SLOT.unpack_from(table, slot * 16)[2])
            if self._WORD.unpack_from(table, self._overflow_offset(first))[0] > now:
                with contextlib.suppress(FileNotFoundError):
                    stat = os.stat(self._counter_path(key, timeout, version))
                    if now - stat.st_mtime < timeout:
                        return stat.st_size
        return 0

    @staticmethod
    def _clock() -> float:
        return time.time()

    def _counter_path(self, key: str, timeout: int, version: int | None) -> str:
        name = self._key_to_file(key, version)[: -len(self.cache_suffix)]
        return f"{name}-{int(timeout)}{self.COUNTER_SUFFIX}"

    def _file_exists(self, key: str, timeout: int, version: int | None) -> bool:
        return os.path.exists(self._counter_path(key, timeout, version))

    def _file_count(self, key: str, timeout: int, version: int | None, now: int) -> int:
        path = self._counter_path(key, timeout, version)
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(path, flags, 0o600)
        except FileNotFoundError:  # the directory is gone (cleared): make it again
            self._createdir()
            fd = os.open(path, flags, 0o600)
        try:
            stat = os.fstat(fd)
            start = stat.st_mtime
            if not stat.st_size or now - start >= timeout:  # new, or an ended window not swept
                if stat.st_size:                            # yet (under the group's lock: no
                    os.ftruncate(fd, 0)                     # count in between)
                start = now
            os.write(fd, b"1")
            value = os.lseek(fd, 0, os.SEEK_CUR)
            os.utime(fd, (start, start))  # the time is the window's start, as in the table
            return value
        finally:
            os.close(fd)

    def _file_uncount(self, key: str, timeout: int, version: int | None) -> None:
        with contextlib.suppress(FileNotFoundError):
            fd = os.open(self._counter_path(key, timeout, version),
                         os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
            try:
                if (stat := os.fstat(fd)).st_size > 0:
                    os.ftruncate(fd, stat.st_size - 1)
                    os.utime(fd, (stat.st_mtime, stat.st_mtime))  # the window's start
            finally:
                os.close(fd)

    def sweep_counters(self, now: float | None = None) -> int:
        """Remove the file counters of ended windows, then those of the oldest windows over
        MAX_COUNTERS; the number of counters left."""
        now = self._clock() if now is None else now
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
            if now - modified >= timeout:
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
        with _thread_lock[0]:
            mapped = self._mapped()
            locked = self._lock(mapped, 0, 0, os.SEEK_SET)  # the whole file
            try:
                self._grow(mapped.fd)  # the whole map is written: all of it inside the file
                mapped.table[:] = bytes(len(mapped.table))
            finally:
                if locked:
                    fcntl.lockf(mapped.fd, fcntl.LOCK_UN)
        self.sweep_counters(now=float("inf"))


class _Mapped:
    """A table's map in this process (the fork it was made in, when its file was last checked,
    the fallback counts since the process opened it and when they are next swept)."""

    __slots__ = ("checked", "counts", "fd", "fork", "next_sweep", "table")

    def __init__(self, table: mmap.mmap, fd: int, fork: int, checked: float) -> None:
        self.table, self.fd, self.fork, self.checked = table, fd, fork, checked
        self.counts = self.next_sweep = 0


_LOCK_NOW = fcntl.LOCK_EX | fcntl.LOCK_NB
# struct flock on Linux (short type, short whence, off_t start, off_t len, pid_t pid).
_FLOCK = struct.Struct("hhqqi4x")


def _holder(fd: int, length: int, start: int, whence: int) -> int:
    """The process holding a lock that conflicts with ours on the range (0: none, or not
    known, e.g. in another PID namespace)."""
    try:
        answer = fcntl.fcntl(fd, fcntl.F_GETLK,
                             _FLOCK.pack(fcntl.F_WRLCK, whence, start, length, 0))
        kind, _, _, _, pid = _FLOCK.unpack(answer)
    except OSError:
        return 0
    return int(pid) if kind != fcntl.F_UNLCK else 0


def _stopped(pid: int) -> bool:
    """Whether the process is stopped (SIGSTOP, or by a debugger): Linux's /proc."""
    if pid <= 0:
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rpartition(b")")[2].split()[0] in (b"T", b"t")
    except (OSError, IndexError):
        return False


_last_warning = [0.0]


def _warn_stalled() -> None:
    """Log (at most once a minute per process) that a count went on without its lock."""
    now = time.monotonic()
    if now - _last_warning[0] > 60:
        _last_warning[0] = now
        logger.warning("a rate counter's lock is held by a stopped or stuck process;"
                       " counting without it")


# The process's maps, by table file name.
_tables: dict[str, _Mapped] = {}
# Forks seen by this process: a table mapped before a fork is re-opened in the child. The
# lock that keeps a process's threads (each with its own cache object, as Django's caches are
# per thread) from sharing the process's fcntl locks, made again in a child (another thread may
# have held it at the fork).
_forks = [0]
_thread_lock = [threading.Lock()]


def _forked() -> None:
    _forks[0] += 1
    _thread_lock[0] = threading.Lock()


os.register_at_fork(after_in_child=_forked)
