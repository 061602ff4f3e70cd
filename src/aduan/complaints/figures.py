"""Pre-aggregated daily figures: an office's cases counted per day of receipt, so that the
dashboard, the reports and the inbox's counts read a few thousand small rows instead of
grouping a million cases.

Each case counts once in each dimension of its day of receipt:
- STATUS: its status and unit (the inbox's counts per state and the breakdowns per status,
  month and unit);
- CHANNEL, SERVICE: its channel and service type;
- DAYS: working days taken to settle (settled cases with the figure);
- DEADLINE: "on_time" or "late" (settled cases with a settlement date);
- UNIT_DEADLINE: the same per unit (the oversight's drill-down per unit; a dimension of its own,
  so the dashboards that sum the deadline per office read no more rows);
- FOLLOW_UP: calendar days from receipt to the first follow-up (else the response, else the
  settlement), for the median in working days and the "followed up" count.
Every row also carries how many of its cases are settled.

The figures of a day are recomputed from the live rows, in the same transaction, whenever a
case of that day is saved or deleted (`Complaint.save`, below): a recomputation is always
right whatever happened before, and concurrent writers of one day are serialised (PostgreSQL:
an advisory lock per office and day; SQLite has a single writer). Bulk inserts that bypass
`save` (the synthetic generator, bench/desk_scale.py) end with `figures_rebuild`, which is also
`manage.py rebuild_daily_figures`. What depends on today's date (overdue) is not stored: it is
read live from the partial index of open cases.

The status, deadline, channel, service type and working-days figures are also summed per
office and month of receipt (the roll-up, `MonthlyFigure`), with one more dimension, UNIT: the
status cells summed per unit (key: the unit's id, "" for none). A period of years (the regency
table, `figures_period_sums`) or a semester (the dashboard, `figures_office_months`) reads its
whole months from a row per month and key and only its partial edge months from the days. The
follow-up figures stay per day only: their working days depend on the day. Every writer of the
daily figures keeps the roll-up in the same transaction by the difference it made to each
day's cells (an increment, whatever other days of the month do meanwhile), and
`figures_rebuild` rebuilds it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction

if TYPE_CHECKING:
    from aduan.complaints.models import Complaint

from aduan.complaints.workflow import SETTLED_STATUSES

STATUS = "status"
CHANNEL = "channel"
SERVICE = "service"
DAYS = "days"
DEADLINE = "deadline"
UNIT_DEADLINE = "unitdeadline"  # the column holds 12 characters
FOLLOW_UP = "follow_up"
UNIT = "unit"  # the roll-up only: the status cells summed per unit (key: its id, "" for none)
ON_TIME = "on_time"
LATE = "late"

# The complaint fields a figure depends on: a save that changes none of them changes no figure.
FIELDS = frozenset({"office", "office_id", "received_on", "status", "unit", "unit_id",
                    "channel", "channel_id", "service_type", "service_type_id",
                    "working_days_taken", "settled_on", "due_on", "first_follow_up_on",
                    "responded_on"})
_ROW = ("received_on", "status", "unit_id", "channel_id", "service_type_id",
        "working_days_taken", "settled_on", "due_on", "first_follow_up_on", "responded_on")
_LOCK_SPACE = 1_483_000_000  # advisory lock namespace (first key), plus the office id

Cell = tuple[dt.date, str, str, int | None]  # day, dimension, key, unit id
# The daily dimensions summed per month too (`MonthlyFigure`), and the roll-up's dimensions
# (those and UNIT, drawn from the status cells).
DAILY_ROLLED_UP = (STATUS, DEADLINE, CHANNEL, SERVICE, DAYS)
ROLLED_UP = (*DAILY_ROLLED_UP, UNIT)
MonthKey = tuple[dt.date, str, str]  # first day of the month, dimension, key


def month_keys(dimension: str, key: str, unit_id: int | None) -> tuple[tuple[str, str], ...]:
    """The roll-up's (dimension, key) cells that a daily cell adds to: itself with the unit
    summed out, and for a status cell its unit's UNIT cell too; none for FOLLOW_UP and
    UNIT_DEADLINE (read per day only)."""
    if dimension == STATUS:
        return ((STATUS, key), (UNIT, "" if unit_id is None else str(unit_id)))
    if dimension in DAILY_ROLLED_UP:
        return ((dimension, key),)
    return ()


def cells_from_rows(rows: Iterable[tuple]) -> dict[Cell, list[int]]:
    """[count, settled] per (day, dimension, key, unit) from rows of `_ROW`."""
    out: dict[Cell, list[int]] = defaultdict(lambda: [0, 0])
    for (day, status, unit, channel, service, days, settled_on, due_on, follow_up,
         responded) in rows:
        settled = 1 if status in SETTLED_STATUSES else 0
        keys: list[Cell] = [(day, STATUS, status, unit), (day, CHANNEL, str(channel), None),
                            (day, SERVICE, str(service) if service else "", None)]
        if settled and days is not None:
            keys.append((day, DAYS, str(days), None))
        if settled and settled_on is not None:
            deadline = ON_TIME if settled_on <= due_on else LATE
            keys.append((day, DEADLINE, deadline, None))
            keys.append((day, UNIT_DEADLINE, deadline, unit))
        first = follow_up or responded or settled_on
        if first is not None:
            keys.append((day, FOLLOW_UP, str((first - day).days), None))
        for key in keys:
            cell = out[key]
            cell[0] += 1
            cell[1] += settled
    return out


_INSERT = ("INSERT INTO complaints_dailyfigure (office_id, day, dimension, key, unit_id, count, "
           "settled) VALUES (%s, %s, %s, %s, %s, %s, %s)")


def insert_cells(office_id: int, cells: dict[Cell, list[int]], *, batch_size: int = 10_000) -> int:
    """Write figure rows with `executemany` (Django's bulk_create compiles SQL per value: minutes
    for the ~300,000 rows of a million cases on a busy machine). Returns the number written."""
    rows = [(office_id, day.isoformat(), dimension, key, unit_id, count, settled)
            for (day, dimension, key, unit_id), (count, settled) in cells.items()]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            cursor.executemany(_INSERT, rows[start:start + batch_size])
    return len(rows)


def _months(cells: Iterable[tuple[Cell, Iterable[int]]]) -> dict[MonthKey, list[int]]:
    """[count, settled] of the rolled-up dimensions' cells per month (the unit summed out)."""
    out: dict[MonthKey, list[int]] = defaultdict(lambda: [0, 0])
    for (day, dimension, key, unit), (count, settled) in cells:
        for rolled, rolled_key in month_keys(dimension, key, unit):
            total = out[(day.replace(day=1), rolled, rolled_key)]
            total[0] += count
            total[1] += settled
    return out


_MONTH_ADD = ("INSERT INTO complaints_monthlyfigure (office_id, month, dimension, key, count, "
              "settled) VALUES (%s, %s, %s, %s, %s, %s) "
              "ON CONFLICT (office_id, dimension, month, key) DO UPDATE SET "
              "count = complaints_monthlyfigure.count + excluded.count, "
              "settled = complaints_monthlyfigure.settled + excluded.settled")


def _months_add(office_id: int, before: dict[MonthKey, list[int]],
                after: dict[MonthKey, list[int]]) -> None:
    """Add to the office's roll-up what its recomputed days changed (after - before), in one
    statement; months in a fixed order, so two writers of a month never wait in a cycle."""
    rows = []
    for month, dimension, key in sorted(set(before) | set(after)):
        old = before.get((month, dimension, key), [0, 0])
        new = after.get((month, dimension, key), [0, 0])
        if old != new:
            rows.append((office_id, month.isoformat(), dimension, key, new[0] - old[0],
                         new[1] - old[1]))
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(_MONTH_ADD, rows)


def _lock_days(office_id: int, days: list[dt.date]) -> None:
    """Serialise recomputations of the same office and day until the transaction ends."""
    if connection.vendor != "postgresql":
        return  # SQLite: this transaction already holds the database's single write lock
    with connection.cursor() as cursor:
        for day in days:  # sorted: two writers never wait on each other in a cycle
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)",
                           [_LOCK_SPACE + office_id % 600_000_000, day.toordinal()])


def figures_refresh(office_id: int, days: Iterable[dt.date | None]) -> None:
    """Recompute the figures of `days` of an office from its cases (inside the caller's
    transaction, or a transaction of its own)."""
    from aduan.complaints.models import Complaint

    wanted = sorted({d for d in days if d is not None})
    if not wanted:
        return
    with transaction.atomic():
        _lock_days(office_id, wanted)
        rows = Complaint.objects.filter(office_id=office_id, received_on__in=wanted) \
            .order_by().values_list(*_ROW)
        cells = cells_from_rows(rows)
        # Deleted and read in one statement: the old cells give the roll-up's difference.
        # Only placeholders are joined into the text.
        delete = ("DELETE FROM complaints_dailyfigure WHERE office_id = %s AND day IN ("  # noqa: S608
                  + ", ".join(["%s"] * len(wanted))
                  + ") RETURNING day, dimension, key, unit_id, count, settled")
        with connection.cursor() as cursor:
            cursor.execute(delete, [office_id, *[day.isoformat() for day in wanted]])
            old = [((_date(day), dimension, key, unit), (count, settled))
                   for day, dimension, key, unit, count, settled in cursor.fetchall()]
        insert_cells(office_id, cells)
        _months_add(office_id, _months(old), _months(cells.items()))


def _date(value: dt.date | str) -> dt.date:
    """A date column as read by a raw cursor (SQLite returns text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def figures_add(complaint: Complaint) -> None:
    """Count a new case in its day's figures (`complaint_register`): an increment instead of recomputing the whole day from its cases (a day
    of a busy office or of a crowd holds thousands; the recomputation read every one of them
    on every submission). Inside the caller's transaction; serialised with `figures_refresh`
    of the same day by the same lock, so the two never interleave. The case's cells (status,
    channel, service: the same increment each) are updated in place by ONE statement that
    returns the cells it found (three UPDATEs before; issue 17); a cell the day does not have
    yet is inserted."""
    office_id = complaint.office_id
    cells = cells_from_rows([tuple(getattr(complaint, name) for name in _ROW)])
    days = sorted({day for day, _dimension, _key, _unit in cells})
    with transaction.atomic(savepoint=False):
        _lock_days(office_id, days)
        with connection.cursor() as cursor:
            for (count, settled), group in _same_increment(cells).items():
                found = _cells_update(cursor, office_id, count, settled, group)
                for day, dimension, key, unit_id in group:
                    if (day, dimension, key, unit_id) not in found:  # the day's first such case
                        cursor.execute(_INSERT, [office_id, day.isoformat(), dimension, key,
                                                 unit_id, count, settled])
        _months_add(office_id, {}, _months(cells.items()))


def _same_increment(cells: dict[Cell, list[int]]) -> dict[tuple[int, int], list[Cell]]:
    """The cells grouped by their [count, settled] increment (one group for one new case)."""
    groups: dict[tuple[int, int], list[Cell]] = defaultdict(list)
    for cell, (count, settled) in cells.items():
        groups[(count, settled)].append(cell)
    return groups


def _cells_update(cursor: Any, office_id: int, count: int, settled: int,
                  cells: list[Cell]) -> set[Cell]:
    """Add [count, settled] to every stored row of `cells` in one UPDATE; returns the cells
    that had a row. The dimensions and days are named as lists too, so both databases seek
    the figures' index (office, dimension, day, ...) instead of reading the office's rows."""
    conditions: list[str] = []
    params: list[object] = [count, settled, office_id]
    dimensions = sorted({dimension for _day, dimension, _key, _unit in cells})
    days = sorted({day.isoformat() for day, _dimension, _key, _unit in cells})
    params += dimensions + days
    for day, dimension, key, unit_id in cells:
        if unit_id is None:
            conditions.append("(day = %s AND dimension = %s AND key = %s AND unit_id IS NULL)")
            params += [day.isoformat(), dimension, key]
        else:
            conditions.append("(day = %s AND dimension = %s AND key = %s AND unit_id = %s)")
            params += [day.isoformat(), dimension, key, unit_id]
    # Only placeholders are joined into the text.
    sql = ("UPDATE complaints_dailyfigure SET count = count + %s, settled = settled + %s "  # noqa: S608
           "WHERE office_id = %s AND dimension IN (" + ", ".join(["%s"] * len(dimensions))
           + ") AND day IN (" + ", ".join(["%s"] * len(days)) + ") AND ("
           + " OR ".join(conditions) + ") RETURNING day, dimension, key, unit_id")
    cursor.execute(sql, params)
    return {(_date(day), dimension, key, unit_id)
            for day, dimension, key, unit_id in cursor.fetchall()}


def figures_rebuild(office_id: int | None = None, *, batch_size: int = 10_000) -> int:
    """Recompute every figure (of one office, or of all); returns the number of rows written.
    One pass over the cases in the database's order, folded in memory (about 100 cells a day)."""
    from aduan.complaints.models import Complaint, DailyFigure, MonthlyFigure
    from aduan.offices.models import Office

    offices = [office_id] if office_id is not None else list(
        Office.objects.values_list("pk", flat=True))
    written = 0
    for office in offices:
        with transaction.atomic():
            rows = (Complaint.objects.filter(office_id=office).order_by()
                    .values_list(*_ROW).iterator(chunk_size=20_000))
            cells = cells_from_rows(rows)
            DailyFigure.objects.filter(office_id=office).delete()
            written += insert_cells(office, cells, batch_size=batch_size)
            MonthlyFigure.objects.filter(office_id=office).delete()
            _months_add(office, {}, _months(cells.items()))
    return written


def months_differences(office_id: int | None = None) -> list[tuple[tuple, object, object]]:
    """(office, month, dimension, key), the roll-up's [count, settled] and the sum of the
    daily figures of that month, for every roll-up cell that differs (zero cells count as
    absent); empty when the roll-up is right."""
    from aduan.complaints.models import DailyFigure, MonthlyFigure

    daily = DailyFigure.objects.filter(dimension__in=DAILY_ROLLED_UP)
    monthly = MonthlyFigure.objects.all()
    if office_id is not None:
        daily, monthly = daily.filter(office_id=office_id), monthly.filter(office_id=office_id)
    summed: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for office, day, dimension, key, unit, count, settled in daily.values_list(
            "office_id", "day", "dimension", "key", "unit_id", "count", "settled").iterator():
        for rolled, rolled_key in month_keys(dimension, key, unit):
            cell = summed[(office, day.replace(day=1), rolled, rolled_key)]
            cell[0] += count
            cell[1] += settled
    stored = {(office, month, dimension, key): [count, settled]
              for office, month, dimension, key, count, settled in monthly.values_list(
                  "office_id", "month", "dimension", "key", "count", "settled").iterator()}
    summed_cells = {cell: value for cell, value in summed.items() if value != [0, 0]}
    stored = {cell: value for cell, value in stored.items() if value != [0, 0]}
    return [(cell, stored.get(cell), summed_cells.get(cell))
            for cell in sorted(set(stored) | set(summed_cells), key=repr)
            if stored.get(cell) != summed_cells.get(cell)]


def period_parts(start: dt.date, end: dt.date,
                 ) -> tuple[tuple[dt.date, dt.date] | None, list[tuple[dt.date, dt.date]]]:
    """How the roll-up answers the days start..end: its whole months as [first, stop) (first
    days of months; None when the period holds no whole month) and the days left over as
    inclusive (first, last) ranges (the partial edge months, or the whole period)."""
    if start > end:
        return None, []
    # The whole months inside the period: from the first month starting on or after `start`
    # to the last ending on or before `end`.
    first = start if start.day == 1 else _next_month(start)
    after_end = end + dt.timedelta(days=1)
    stop = after_end if after_end.day == 1 else after_end.replace(day=1)  # exclusive
    if first >= stop:
        return None, [(start, end)]
    days = []
    if start < first:
        days.append((start, first - dt.timedelta(days=1)))
    if stop <= end:
        days.append((stop, end))
    return (first, stop), days


def figures_period_sums(office_ids: Iterable[int], start: dt.date, end: dt.date,
                        dimensions: Iterable[str] = (STATUS, DEADLINE),
                        ) -> list[tuple[int, str, str, int, int]]:
    """(office, dimension, key, count, settled) summed over the days start..end, for the
    rolled-up dimensions: the period's whole months from the roll-up, its partial edge months
    from the daily figures, in one query (a UNION ALL of the three parts' GROUP BYs, summed
    here). Five years of 50 offices read ~30,000 monthly rows and a few days instead of
    every day's cells."""
    from django.db.models import Sum

    from aduan.complaints.models import DailyFigure, MonthlyFigure

    ids, wanted = list(office_ids), list(dimensions)
    if not set(wanted) <= set(DAILY_ROLLED_UP):  # UNIT: `figures_office_months`
        raise ValueError(f"only {DAILY_ROLLED_UP} are summed per month and day")
    if not ids or not wanted or start > end:
        return []
    months, edges = period_parts(start, end)
    parts: list[Any] = []
    if months is not None:
        parts.append(MonthlyFigure.objects.filter(office_id__in=ids, dimension__in=wanted,
                                                  month__gte=months[0], month__lt=months[1])
                     .order_by().values("office_id", "dimension", "key")
                     .annotate(n=Sum("count"), s=Sum("settled"))
                     .values_list("office_id", "dimension", "key", "n", "s"))
    parts += [DailyFigure.objects.filter(office_id__in=ids, dimension__in=wanted,
                                         day__gte=lo, day__lte=hi)
              .order_by().values("office_id", "dimension", "key")
              .annotate(n=Sum("count"), s=Sum("settled"))
              .values_list("office_id", "dimension", "key", "n", "s") for lo, hi in edges]
    query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    sums: dict[tuple[int, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for office, dimension, key, n, settled in query:
        cell = sums[(office, dimension, key)]
        cell[0] += n or 0
        cell[1] += settled or 0
    return [(office, dimension, key, n, settled)  # a roll-up cell emptied by moves: left out
            for (office, dimension, key), (n, settled) in sums.items() if n or settled]


# The parts of `figures_office_months`: the roll-up's rows as stored (0), a month's days (1).
_OFFICE_MONTHS = ("SELECT 0, month, dimension, key, NULL, count, settled "
                  "FROM complaints_monthlyfigure WHERE office_id = %s AND dimension IN ({dims}) "
                  "AND month >= %s AND month < %s")
_OFFICE_DAYS = ("SELECT 1, %s, dimension, key, unit_id, SUM(count), SUM(settled) "
                "FROM complaints_dailyfigure WHERE office_id = %s AND dimension IN ({dims}) "
                "AND day >= %s AND day <= %s GROUP BY dimension, key, unit_id")


def figures_office_months(office_id: int, start: dt.date, end: dt.date,
                          dimensions: Iterable[str] = ROLLED_UP,
                          ) -> list[tuple[dt.date, str, str, int, int]]:
    """(month, dimension, key, count, settled) of one office summed over the days start..end
    per month of receipt, for the roll-up's dimensions (UNIT included): the period's whole
    months are the roll-up's rows as stored (a semester of the biggest office at 5M: a few
    hundred rows instead of the ~20,000 day cells), its partial months' days are grouped per
    month (and per unit, folded into UNIT here by `month_keys`), in one statement (a UNION
    ALL of the parts). Written in SQL: the dashboard's hot path, where the ORM's compilation of
    a union cost more than the database."""
    wanted = set(dimensions)
    if not wanted <= set(ROLLED_UP):
        raise ValueError(f"only {ROLLED_UP} are summed per month")
    if not wanted or start > end:
        return []
    daily = sorted((wanted & set(DAILY_ROLLED_UP)) | ({STATUS} if UNIT in wanted else set()))
    months, edges = period_parts(start, end)
    parts: list[str] = []
    params: list[int | str | dt.date] = []
    if months is not None:
        asked = sorted(wanted)
        parts.append(_OFFICE_MONTHS.format(dims=", ".join(["%s"] * len(asked))))
        params += [office_id, *asked, months[0], months[1]]
    for first_day, last_day in edges:
        lo = first_day
        while daily and lo <= last_day:  # a part per month (no whole month: it may span two)
            hi = min(last_day, _next_month(lo) - dt.timedelta(days=1))
            parts.append(_OFFICE_DAYS.format(dims=", ".join(["%s"] * len(daily))))
            params += [lo.replace(day=1), office_id, *daily, lo, hi]
            lo = hi + dt.timedelta(days=1)
    if not parts:
        return []
    sums: dict[MonthKey, list[int]] = defaultdict(lambda: [0, 0])
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for from_days, month, dimension, key, unit, n, settled in cursor.fetchall():
            cells = month_keys(dimension, key, unit) if from_days else ((dimension, key),)
            for rolled, rolled_key in cells:
                if rolled in wanted:
                    cell = sums[(_date(month), rolled, rolled_key)]
                    cell[0] += n or 0
                    cell[1] += settled or 0
    return [(month, dimension, key, n, settled)  # a roll-up cell emptied by moves: left out
            for (month, dimension, key), (n, settled) in sorted(sums.items()) if n or settled]


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def figures_differences(office_id: int | None = None) -> list[tuple[tuple, object, object]]:
    """(office, day, dimension, key, unit), stored [count, settled] and the cases' own, for
    every figure that differs; empty when the stored figures are right."""
    from aduan.complaints.models import Complaint, DailyFigure

    stored_qs = DailyFigure.objects.all()
    cases = Complaint.objects.all()
    if office_id is not None:
        stored_qs, cases = stored_qs.filter(office_id=office_id), cases.filter(office_id=office_id)
    stored: dict[tuple, list[int]] = {}
    for office, day, dimension, key, unit, count, settled in stored_qs.values_list(
            "office_id", "day", "dimension", "key", "unit_id", "count", "settled").iterator():
        got = stored.setdefault((office, day, dimension, key, unit), [0, 0])
        got[0] += count
        got[1] += settled
    live: dict[tuple, list[int]] = {}
    for office in cases.values_list("office_id", flat=True).distinct().order_by():
        rows = cases.filter(office_id=office).order_by().values_list(*_ROW).iterator(
            chunk_size=20_000)
        for cell, value in cells_from_rows(rows).items():
            live[(office, *cell)] = value
    return [(cell, stored.get(cell), live.get(cell))
            for cell in sorted(set(stored) | set(live), key=repr)
            if stored.get(cell) != live.get(cell)]


def figures_status_counts(office_id: int, unit_id: int | None = None) -> dict[str, int]:
    """Cases per status of an office (of one unit when `unit_id` is given), from the figures:
    a sum over a few rows per day instead of a GROUP BY over every case."""
    from django.db.models import Sum

    from aduan.complaints.models import DailyFigure

    qs = DailyFigure.objects.filter(office_id=office_id, dimension=STATUS)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    return {key: n for key, n in qs.order_by().values("key").annotate(n=Sum("count"))
            .values_list("key", "n") if n}
