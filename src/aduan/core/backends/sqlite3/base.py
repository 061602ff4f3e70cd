"""SQLite with its writers queued on a file lock instead of SQLite's sleeping busy handler.

SQLite lets one transaction write at a time. When a second process's `BEGIN IMMEDIATE` finds
the database locked, SQLite's busy handler sleeps 1, 2, 5, 10, 15, 20, 25 ... up to 100 ms
between retries, however soon the lock is free again; a registration holds it for about half a
millisecond. Under concurrent submissions the database then stands idle while writers sleep:
4 workers wrote fewer complaints per second than 1 (docs/decisions/0008-sqlite-writer-queue.md).

Here every write transaction first takes an exclusive `flock()` on a file beside the database
(`<name>-writer.lock`) and releases it at commit or rollback. In a process's main thread (a
gunicorn worker, the task worker, a command) the kernel wakes the next waiter the moment the
lock is free; other threads poll every 0.05 to 1 ms and give up with SQLite's usual "database
is locked" after the connection's `timeout`. A process that dies releases its lock with it. SQLite's own locking and busy timeout stay as they were, for writers
outside transactions and for other programs. Where `fcntl` does not exist (Windows) nothing
changes. Only `transaction_mode: IMMEDIATE` transactions queue: they are the ones that take
the write lock at BEGIN.

Checkpoints (copying the write-ahead log back into the database) are moved out of the queue
too. SQLite runs one automatically inside the COMMIT that fills the log past 1000 pages, a few
milliseconds with an fsync while every other writer waits; here each connection instead runs a
PASSIVE checkpoint, which does not block writers, after every 128th of its commits once it has
released the lock (64 measured 10 % slower: each checkpoint ends with an fsync), and SQLite's
automatic one is kept only as a safety net at 20,000 pages.
"""

from __future__ import annotations

import functools
import os
import threading
import time

from django.db.backends.sqlite3 import base

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


@functools.lru_cache(maxsize=1024)
def _qmark(query: str) -> str:
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    """Django's cursor, remembering each statement's conversion from `%s` to `?` placeholders
    (a regular expression run on every execute: 2 % of a web submission's CPU)."""

    def convert_query(self, query: str, *, param_names: list[str] | None = None) -> str:
        if param_names is None:
            return _qmark(query)
        return super().convert_query(query, param_names=param_names)


CHECKPOINT_EVERY = 128
AUTOCHECKPOINT_PAGES = 20_000


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._writer_lock_fd: int | None = None
        self._writer_lock_path = ""
        self._writer_lock_held = False
        self._commits = 0

    def create_cursor(self, name: str | None = None) -> SQLiteCursorWrapper:
        return self.connection.cursor(factory=SQLiteCursorWrapper)

    def get_new_connection(self, conn_params: dict) -> object:
        conn = super().get_new_connection(conn_params)
        if self._writer_lock_enabled():
            conn.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
        return conn

    def _writer_lock_enabled(self) -> bool:
        return (fcntl is not None and self.transaction_mode == "IMMEDIATE"
                and not self.is_in_memory_db())

    def _writer_lock_acquire(self) -> None:
        path = f"{self.settings_dict['NAME']}-writer.lock"
        if self._writer_lock_fd is None or self._writer_lock_path != path:
            self._writer_lock_close()
            self._writer_lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            self._writer_lock_path = path
        fd = self._writer_lock_fd
        if threading.current_thread() is threading.main_thread():
            # A server's worker process: wait in the kernel, woken the moment the lock is free.
            fcntl.flock(fd, fcntl.LOCK_EX)
        else:
            self._writer_lock_poll(fd)
        self._writer_lock_held = True

    def _writer_lock_poll(self, fd: int) -> None:
        """Other threads poll, so a writer waiting on a thread that waits on it (a test
        holding a transaction while a thread it joins writes) gets SQLite's "database is
        locked" after the connection's timeout instead of hanging."""
        deadline = time.monotonic() + float(self.settings_dict["OPTIONS"].get("timeout", 5))
        pause = 0.00005
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    with self.wrap_database_errors:  # as django.db.OperationalError
                        raise base.Database.OperationalError(
                            "database is locked (waited for the writer lock)") from None
                time.sleep(pause)
                pause = min(pause * 2, 0.001)

    def _writer_lock_release(self) -> None:
        if self._writer_lock_held and self._writer_lock_fd is not None:
            fcntl.flock(self._writer_lock_fd, fcntl.LOCK_UN)
        self._writer_lock_held = False

    def _writer_lock_close(self) -> None:
        self._writer_lock_release()
        if self._writer_lock_fd is not None:
            os.close(self._writer_lock_fd)
            self._writer_lock_fd = None

    def _start_transaction_under_autocommit(self) -> None:
        if not self._writer_lock_enabled():
            super()._start_transaction_under_autocommit()
            return
        self._writer_lock_acquire()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._writer_lock_release()
            raise

    def _commit(self) -> None:
        held = self._writer_lock_held
        try:
            super()._commit()
        finally:
            self._writer_lock_release()
        if held:
            self._commits += 1
            if self._commits % CHECKPOINT_EVERY == 0:
                with self.wrap_database_errors:
                    self.connection.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def _rollback(self) -> None:
        try:
            super()._rollback()
        finally:
            self._writer_lock_release()

    def _close(self) -> None:
        try:
            super()._close()
        finally:
            self._writer_lock_close()
