"""Fixtures of the complaints app's tests."""

from __future__ import annotations

import pytest
from django.db import connection

from aduan.complaints import search


@pytest.fixture
def pg_name_memos(monkeypatch):
    """PostgreSQL only: this process's memos of the name search (complaints/search.py: the
    index's statistics, the sample of names, the names' version, their background threads)
    empty for the test and restored after it."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's name search")
    for memo in ("_NAME_STATS", "_NAME_SAMPLE", "_NAME_VERSION_READ", "_NAME_SAMPLE_THREADS",
                 "_NAME_SAMPLE_WATCHERS"):
        monkeypatch.setattr(search, memo, {})
