"""Per-process memo of configuration that changes rarely (the office, its channels, deadline
policies, holidays, message templates), checked against the database by one small query.

The hot paths (a web submission, a public lookup) used to read each of those rows with its own
query. Here each process keeps what it built, tagged with the *version* of the watched tables:
their row count, highest id and latest `updated_at`, read in one query, at most once a second
per process (`ADUAN_REFCACHE_SECONDS`). An administrator's edit in any process changes the
version, so every process rebuilds within that second; a save or delete in this process clears
the memo at once (signals), which also keeps tests that roll back independent. Writes that bypass `save()` (`QuerySet.update()`) are not seen: the application
does not make them on watched models.

Within one HTTP request the version is read once (`pin()` by config/middleware.py), so a
request that needs the office, the calendar and a template pays for a single query.

Memoised values are shared by every request of the process: treat them as read-only.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")

_watched: list[type[Model]] = []
_memo: dict[Any, tuple[tuple, Any]] = {}
_sql: str | None = None
_state = threading.local()
_last_read: tuple[float, tuple] | None = None


def watch(*models: type[Model]) -> None:
    """Treat `models` as configuration: part of the version, and saving one clears the memo.
    Called from AppConfig.ready()."""
    global _sql  # noqa: PLW0603
    for model in models:
        if model in _watched:
            continue
        _watched.append(model)
        uid = f"aduan.refcache.{model._meta.label}"
        post_save.connect(_on_change, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_change, sender=model, dispatch_uid=uid)
    _sql = None


def _on_change(**_: Any) -> None:
    clear()


def clear() -> None:
    """Forget everything memoised in this process (and the version pinned by this thread)."""
    global _last_read  # noqa: PLW0603
    _memo.clear()
    _state.version = None
    _last_read = None


def _version_sql() -> str:
    global _sql  # noqa: PLW0603
    if _sql is None:
        quote = connection.ops.quote_name
        # Table and column names come from model metadata, never from input.
        parts = []
        for model in _watched:
            table = quote(model._meta.db_table)
            pk = quote(model._meta.pk.column)
            parts.append(f"(SELECT COUNT(*) FROM {table})")  # noqa: S608
            parts.append(f"(SELECT MAX({pk}) FROM {table})")  # noqa: S608
            parts.append(f"(SELECT MAX({quote('updated_at')}) FROM {table})")  # noqa: S608
        _sql = "SELECT " + ", ".join(parts)
    return _sql


def version() -> tuple:
    """The current version of the watched tables: read once per pinned request, and at most
    once per `settings.ADUAN_REFCACHE_SECONDS` per process (0 in tests: every request)."""
    pinned = getattr(_state, "version", None)
    if pinned is not None:
        return pinned
    if not _watched:
        return ()
    global _last_read  # noqa: PLW0603
    now = time.monotonic()
    if _last_read is not None and now - _last_read[0] < settings.ADUAN_REFCACHE_SECONDS:
        current = _last_read[1]
    else:
        with connection.cursor() as cursor:
            cursor.execute(_version_sql())
            current = tuple(cursor.fetchone())
        _last_read = (now, current)
    if getattr(_state, "pinning", False):
        _state.version = current
    return current


def memo(key: Any, build: Callable[[], T]) -> T:
    """`build()`'s value for `key`, rebuilt only when the watched tables changed."""
    current = version()
    entry = _memo.get(key)
    if entry is not None and entry[0] == current:
        return entry[1]
    value = build()
    _memo[key] = (current, value)
    return value


def pin() -> None:
    """From now on read the version at most once in this thread, until `unpin()` (one HTTP
    request: config/middleware.py `EdgeMiddleware`)."""
    _state.pinning, _state.version = True, None


def unpin() -> None:
    _state.pinning, _state.version = False, None


@contextmanager
def pinned() -> Iterator[None]:
    """Read the version at most once inside the block."""
    pin()
    try:
        yield
    finally:
        unpin()
