"""Gapless register numbers (nomor dokumen), sequential per office and year (SPEC §3).

The counter row is incremented inside the transaction that creates the complaint, so a rolled
back complaint gives its number back and no gap appears. Concurrency:
- PostgreSQL: the upsert (`INSERT ... ON CONFLICT DO UPDATE`) locks the counter row, which
  serialises the writers;
- SQLite: transactions start with BEGIN IMMEDIATE (settings), so one writer at a time holds the
  database; the busy timeout makes the others wait instead of failing.
"""

from __future__ import annotations

from django.db import connection, transaction

from aduan.complaints.models import RegisterCounter
from aduan.offices.models import Office


def _upsert_sql() -> str:
    table = connection.ops.quote_name(RegisterCounter._meta.db_table)  # from model metadata
    return (
        f"INSERT INTO {table} (office_id, year, last_sequence) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT (office_id, year) DO UPDATE SET last_sequence = {table}.last_sequence + 1 "
        "RETURNING last_sequence"
    )


def next_register_sequence(*, office: Office, year: int) -> int:
    """Reserve the next sequence; must run inside the transaction that uses it.

    One statement creates the year's counter row or increments it, and returns the new value
    (PostgreSQL and SQLite >= 3.35). On PostgreSQL the upsert locks the counter row until the
    transaction ends, so concurrent writers queue behind it; on SQLite the IMMEDIATE transaction
    already holds the database's write lock.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_register_sequence must run inside transaction.atomic()")
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), [office.pk, year])
        return int(cursor.fetchone()[0])


def format_register_number(pattern: str, *, sequence: int, year: int, month: int) -> str:
    return pattern.format(seq=sequence, year=year, month=month)
