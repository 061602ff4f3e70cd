"""Scale the synthetic complaints of the benchmark database up to N rows, fast.

`manage.py generate_complaints` builds realistic cases (texts, reporters, events) at about
1,000 rows/s when the machine is idle; on a shared 2-core box that is well over an hour for a
million. This script multiplies what was generated with one INSERT ... SELECT per copy: every
copy is shifted in time by a multiple of the span of the original rows, gets its own register
sequence, number and tracking code, and keeps its reporter. When the originals leave room before
today (generated with an early `--end`), the copies tile the years forward up to today;
otherwise (the generator's default, up to today) they tile the years before the originals.
A copy that inserts nothing, or a total short of N, stops the script with a non-zero exit.
Cases received in the last 60 days are then spread over the open states, as in a live office.
Case events are not copied: the inbox never reads them. The daily figures (dashboard, reports,
inbox counts) are rebuilt at the end.

    ADUAN_SQLITE_PATH=var/desk-bench.sqlite3 .venv/bin/python bench/desk_scale.py 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_desk_bench \
        .venv/bin/python bench/desk_scale.py 1000000
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.config.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

DATE_COLUMNS = ["received_on", "issued_on", "due_on", "verify_due_on", "follow_up_due_on",
                "completion_due_on", "auto_close_on", "verified_on", "disposed_on",
                "first_follow_up_on", "responded_on", "settled_on"]
STAMP_COLUMNS = ["received_at", "created_at", "updated_at"]
OTHER_COLUMNS = ["office_id", "channel_id", "classification", "subject", "description",
                 "location", "service_type_id", "company_name", "reporter_id", "is_by_proxy",
                 "status", "unit_id", "proposed_unit_id", "referred_agency_id",
                 "working_days_taken", "finding", "findings_note", "response_text",
                 "is_satisfied", "lapor_tracking_id", "is_secret", "reopened_count",
                 "created_by_id"]


def shifted(column: str, days: int, *, stamp: bool) -> str:
    if connection.vendor == "sqlite":
        fn = "strftime('%Y-%m-%d %H:%M:%f', {c}, '{d:+d} days')" if stamp \
            else "date({c}, '{d:+d} days')"
        return fn.format(c=column, d=days)
    return f"({column} + interval '{days} days')" + ("" if stamp else "::date")


def copy_sql(k: int, days: int, max_id: int, today: str) -> str:
    """INSERT ... SELECT of copy `k`, shifted by `days` (negative: back in time)."""
    cols = OTHER_COLUMNS + DATE_COLUMNS + STAMP_COLUMNS + [
        "register_year", "register_sequence", "register_number", "tracking_code", "public_id"]
    year = ("CAST(strftime('%Y', {}) AS INTEGER)" if connection.vendor == "sqlite"
            else "EXTRACT(YEAR FROM {})::int").format(shifted("received_on", days, stamp=False))
    concat = "||"
    values = OTHER_COLUMNS + [shifted(c, days, stamp=False) for c in DATE_COLUMNS] + [
        shifted(c, days, stamp=True) for c in STAMP_COLUMNS] + [
        # The original's year in the sequence too: a copy shifted by a span of several years
        # lands originals of two different years in the same year.
        year, f"register_sequence + {k * 1_000_000} + (register_year % 64) * 20000000",
        f"register_number {concat} '-{k}'", f"substr(tracking_code, 1, 16) {concat} '{k}'",
        f"substr(public_id, 1, 10) {concat} '-{k}'"]
    return (f"INSERT INTO complaints_complaint ({', '.join(cols)}) "
            f"SELECT {', '.join(values)} FROM complaints_complaint "
            f"WHERE id <= {max_id} AND {shifted('received_on', days, stamp=False)} <= '{today}'")


class ScaleFailed(SystemExit):
    """Raised with a message: SystemExit prints it to stderr and exits with status 1."""


def main(target: int) -> None:
    today = timezone.localdate()
    with connection.cursor() as cur:
        cur.execute("SELECT count(*), max(id), min(received_on), max(received_on) "
                    "FROM complaints_complaint")
        count, max_id, first, last = cur.fetchone()
    if not count:
        raise ScaleFailed("desk_scale: the database has no complaints to copy; run "
                          "`manage.py generate_complaints N` first.")
    if isinstance(first, str):
        import datetime as dt

        first, last = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    span = (last - first).days + 1
    copies = -(-target // count) - 1
    room = (today - last).days
    # Forward so that the newest copy reaches today when there is room; else (the generator's
    # default end is today) the copies tile the years before the originals.
    step = room // copies if copies and room >= copies * span else -span
    print(f"{count:,} rows from {first} to {last}; {copies} copies, {step} days apart")
    began = time.perf_counter()
    for k in range(1, copies + 1):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(copy_sql(k, k * step, max_id, today.isoformat()))
            inserted = cur.rowcount
        print(f"copy {k}: {inserted:,} rows, {time.perf_counter() - began:.0f} s", flush=True)
        if inserted <= 0:
            raise ScaleFailed(f"desk_scale: copy {k} inserted no rows (shift {k * step} days "
                              f"from {first}..{last}, today {today}); nothing was scaled.")
    # The latest weeks are still being worked on.
    recent = (today.toordinal() - 60)
    import datetime as dt

    since = dt.date.fromordinal(recent).isoformat()
    rnd = "abs(random()) % 6" if connection.vendor == "sqlite" else "floor(random() * 6)::int"
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            f"UPDATE complaints_complaint SET status = CASE {rnd} WHEN 0 THEN 'received' "
            "WHEN 1 THEN 'verified' WHEN 2 THEN 'dispositioned' WHEN 3 THEN 'followed_up' "
            "WHEN 4 THEN 'responded' ELSE status END "
            f"WHERE received_on >= '{since}'")
        cur.execute("UPDATE complaints_complaint SET settled_on = NULL, working_days_taken = NULL "
                    "WHERE status IN ('received', 'verified', 'dispositioned', 'followed_up', "
                    "'responded')")
    # The copies bypassed the services: count the daily figures anew (complaints/figures.py).
    from aduan.complaints.figures import figures_rebuild

    print(f"{figures_rebuild():,} daily figures, {time.perf_counter() - began:.0f} s", flush=True)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cur.execute("VACUUM ANALYZE complaints_complaint")
            cur.execute("VACUUM ANALYZE complaints_reporter")
        else:
            cur.execute("ANALYZE")
        cur.execute("SELECT count(*) FROM complaints_complaint")
        total = cur.fetchone()[0]
    print(f"{total:,} complaints, {time.perf_counter() - began:.0f} s")
    if total < target:
        raise ScaleFailed(f"desk_scale: {total:,} complaints, fewer than the {target:,} asked.")


if __name__ == "__main__":
    main(int(sys.argv[1]))
