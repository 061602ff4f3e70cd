"""What each SQLite connection, so each web worker, may hold in memory (issue 17, worker
memory, docs/benchmarks.md): a page cache bounded at 8 MB (was 16: a SQLite worker then reached 102-103 MB) and, unless ADUAN_SQLITE_MMAP_MB
asks for one, no memory map of the database file (its pages counted in every worker's RSS)."""

from __future__ import annotations

import os

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's pragmas"),
]


def _pragma(name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return int(cursor.fetchone()[0])


@pytest.mark.skipif("ADUAN_SQLITE_MMAP_MB" in os.environ, reason="the default is overridden")
def test_a_connection_maps_none_of_the_file_by_default():
    assert _pragma("mmap_size") == 0


@pytest.mark.skipif("ADUAN_SQLITE_CACHE_KB" in os.environ, reason="the default is overridden")
def test_a_connection_page_cache_is_bounded():
    assert _pragma("cache_size") == -8000  # KiB (a negative cache_size counts KiB, not pages)
