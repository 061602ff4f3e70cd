"""PostgreSQL sessions start without JIT compilation (config/settings.py ADUAN_PG_OPTIONS): its
start-up cost the desk's search for a word found nowhere 320 ms at 1M cases where the
statement needs 12 ms (docs/benchmarks.md, "The 1M desk, session 9")."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


def test_sessions_run_without_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
