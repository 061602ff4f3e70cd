"""Gapless register numbers (nomor dokumen), sequential per office and year (SPEC §3).

The counter row is incremented inside the transaction that creates the complaint, so a rolled
back complaint gives its number back and no gap appears. Concurrency:
- PostgreSQL: `SELECT ... FOR UPDATE` on the counter row serialises the writers;
- SQLite: transactions start with BEGIN IMMEDIATE (settings), so one writer at a time holds the
  database; the busy timeout makes the others wait instead of failing.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from aduan.complaints.models import RegisterCounter
from aduan.offices.models import Office


def next_register_sequence(*, office: Office, year: int) -> int:
    """Reserve the next sequence; must run inside the transaction that uses it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_register_sequence must run inside transaction.atomic()")
    counter = (
        RegisterCounter.objects.select_for_update().filter(office=office, year=year).first()
    )
    if counter is None:
        try:
            with transaction.atomic():
                counter = RegisterCounter.objects.create(office=office, year=year)
        except IntegrityError:
            # Another writer created the row first; lock it now.
            counter = RegisterCounter.objects.select_for_update().get(office=office, year=year)
    counter.last_sequence += 1
    counter.save(update_fields=["last_sequence"])
    return counter.last_sequence


def format_register_number(pattern: str, *, sequence: int, year: int, month: int) -> str:
    return pattern.format(seq=sequence, year=year, month=month)
