"""Database aggregations behind the reports, the dashboard and the public statistics.

Every figure is a GROUP BY in the database over an office and a date range of receipt
(`received_on`, both ends inclusive); Python only folds the small grouped results. Working days
to settle are stored per case by the services (`Complaint.working_days_taken`), so averages and
percentiles come from a histogram of that column, never from per-row Python.

Public callers (the portal's statistics page) use `complaint_statistics` or the single
`complaint_counts_by_*` functions; they contain no personal data.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.complaints import figures as fig
from aduan.complaints.models import (
    OPEN_CONDITION_SQL,
    CaseTransfer,
    Complaint,
    DailyFigure,
    TransferState,
)
from aduan.complaints.workflow import SETTLED_STATUSES, Status
from aduan.core import refcache
from aduan.offices.calendar import calendar_for_office
from aduan.offices.models import Channel, Office, ServiceType, Unit

SETTLED = sorted(str(s) for s in SETTLED_STATUSES)
# A case the office forwarded to another office of the instance (complaints/transfers.py):
# received and registered here, settled here by the forward (decision 0014).
FORWARDED = "forwarded"
MONTH_NAMES = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
               "September", "Oktober", "November", "Desember"]


@dataclass(frozen=True)
class Period:
    """A reporting period: `start` and `end` are both inclusive dates of receipt."""

    start: dt.date
    end: dt.date

    @classmethod
    def semester(cls, year: int, half: int) -> Period:
        if half not in (1, 2):
            raise ValueError("half must be 1 or 2")
        return (cls(dt.date(year, 1, 1), dt.date(year, 6, 30)) if half == 1
                else cls(dt.date(year, 7, 1), dt.date(year, 12, 31)))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = dt.date(year, month, 1)
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return cls(first, following - dt.timedelta(days=1))

    def months(self) -> list[tuple[int, int]]:
        """Every (year, month) the period touches, in order."""
        out, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            out.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out


@dataclass(frozen=True)
class Row:
    """One line of a grouped count: a key (id or code), its label and the number."""

    key: str
    label: str
    count: int
    settled: int = 0

    @property
    def in_process(self) -> int:
        return self.count - self.settled


@dataclass(frozen=True)
class DurationStats:
    """Working days to settle, from the histogram of `working_days_taken`."""

    settled_with_days: int
    average: float | None
    median: float | None
    p90: float | None
    within_limit: int        # settled within the office's limit (default 20 working days)
    limit_days: int

    @property
    def within_limit_share(self) -> float | None:
        return self.within_limit / self.settled_with_days if self.settled_with_days else None


@dataclass(frozen=True)
class Statistics:
    office_id: int
    period: Period
    as_of: dt.date
    total: int
    settled: int
    in_process: int
    overdue: int                 # still open past their due date on `as_of`
    settled_on_time: int         # settled on or before their due date
    settled_late: int
    followed_up: int             # with a first follow-up, a response or a settlement
    first_follow_up_median_days: float | None
    by_month: list[Row] = field(default_factory=list)
    by_channel: list[Row] = field(default_factory=list)
    by_status: list[Row] = field(default_factory=list)
    by_unit: list[Row] = field(default_factory=list)
    by_service_type: list[Row] = field(default_factory=list)
    duration: DurationStats | None = None
    # {channel id: (count, settled)}, for `channel_rows(..., in_report_only=True)` (Tabel 1).
    channel_counts: dict = field(default_factory=dict)
    # Cases received in the period and forwarded to another office (in every figure above as
    # received and settled, "Diteruskan ke instansi lain"; not in the durations or deadlines).
    forwarded: int = 0

    @property
    def settled_share(self) -> float | None:
        return self.settled / self.total if self.total else None

    @property
    def in_process_share(self) -> float | None:
        return self.in_process / self.total if self.total else None

    @property
    def on_time_share(self) -> float | None:
        """Share of settled cases settled within their deadline (SPEC §8 road-map figure)."""
        return self.settled_on_time / self.settled if self.settled else None

    @property
    def followed_up_share(self) -> float | None:
        return self.followed_up / self.total if self.total else None


def complaints_in_period(office: Office | int, period: Period) -> QuerySet[Complaint]:
    office_id = office if isinstance(office, int) else office.pk
    return Complaint.objects.filter(office_id=office_id, received_on__gte=period.start,
                                    received_on__lte=period.end)


@dataclass(frozen=True)
class ForwardedOut:
    """A number the office issued to a case it then forwarded to another office: the case is
    the receiver's now; what the sender's reports count is kept on the hop (`restore`)."""

    hop: CaseTransfer
    received_on: dt.date
    channel_id: int | None
    unit_id: int | None
    service_type_id: int | None

    @property
    def forwarded_on(self) -> dt.date:
        return timezone.localdate(self.hop.requested_at)


def forwarded_out(office: Office | int, period: Period, *, unit_id: int | None = None
                  ) -> list[ForwardedOut]:
    """The office's cases received in the period (by its own date of receipt) that it
    forwarded to another office and that were not refused, in register order. Index
    `transfer_out`; a handful of rows per period."""
    office_id = office if isinstance(office, int) else office.pk
    first = timezone.make_aware(dt.datetime.combine(period.start - dt.timedelta(days=1),
                                                    dt.time.min))
    last = timezone.make_aware(dt.datetime.combine(period.end + dt.timedelta(days=2),
                                                   dt.time.min))
    hops = (CaseTransfer.objects.filter(from_office_id=office_id, state=TransferState.MOVED,
                                        from_received_at__gte=first, from_received_at__lt=last)
            .select_related("to_office").order_by())
    out = []
    for hop in hops:
        before = hop.restore or {}
        raw = before.get("received_on")
        received = (dt.date.fromisoformat(raw) if raw
                    else timezone.localdate(hop.from_received_at))
        if not period.start <= received <= period.end:
            continue
        if unit_id is not None and before.get("unit_id") != unit_id:
            continue
        out.append(ForwardedOut(hop, received, before.get("channel_id"), before.get("unit_id"),
                                before.get("service_type_id")))
    return sorted(out, key=lambda f: (f.received_on, f.hop.from_register_year,
                                      f.hop.from_register_sequence))


def _forwarded(office: Office | int, period: Period, wanted: bool) -> list[ForwardedOut]:
    return forwarded_out(office, period) if wanted else []


def _with_forwarded(counts: dict, keys: Iterable) -> dict:
    """`counts` ({key: (count, settled)}) with one received-and-settled case per key added."""
    out = {k: tuple(v) for k, v in counts.items()}
    for key in keys:
        n, settled = out.get(key, (0, 0))
        out[key] = (n + 1, settled + 1)
    return out


def _settled_q() -> Q:
    return Q(status__in=SETTLED)


def _grouped(qs: QuerySet[Complaint], *fields: str) -> list[dict]:
    return list(qs.order_by().values(*fields).annotate(
        n=Count("id"), settled=Count("id", filter=_settled_q())))


@dataclass(frozen=True)
class PeriodFigures:
    """The period's figures summed per (month, dimension, key): (count, settled)
    (`figures.figures_office_months`: whole months from the monthly roll-up)."""

    cells: dict[tuple[dt.date, str, str], tuple[int, int]]

    def by(self, dimension: str) -> dict[str, tuple[int, int]]:
        out: dict[str, list[int]] = {}
        for (_month, dim, key), (n, settled) in self.cells.items():
            if dim == dimension:
                got = out.setdefault(key, [0, 0])
                got[0] += n
                got[1] += settled
        return {k: (n, settled) for k, (n, settled) in out.items()}

    def by_id(self, dimension: str) -> dict[int | None, tuple[int, int]]:
        """Keys of a foreign-key dimension (channel, service type, unit) as ids; "" is None."""
        return {int(k) if k else None: v for k, v in self.by(dimension).items()}

    def by_unit(self) -> dict[int | None, tuple[int, int]]:
        return self.by_id(fig.UNIT)

    def by_month(self) -> dict[tuple[int, int], tuple[int, int]]:
        """(count, settled) per (year, month) of receipt."""
        out: dict[tuple[int, int], list[int]] = {}
        for (month, dim, _key), (n, settled) in self.cells.items():
            if dim == fig.STATUS:
                got = out.setdefault((month.year, month.month), [0, 0])
                got[0] += n
                got[1] += settled
        return {k: (n, settled) for k, (n, settled) in out.items()}

    def histogram(self) -> list[tuple[int, int]]:
        return sorted((int(k), n) for k, (n, _s) in self.by(fig.DAYS).items())

    def total(self, dimension: str = fig.STATUS) -> int:
        return sum(n for n, _s in self.by(dimension).values())


def period_figures(office: Office | int, period: Period,
                   dimensions: Sequence[str] = fig.ROLLED_UP) -> PeriodFigures:
    """One query over the period's figures (complaints/figures.py), per month: the monthly
    roll-up's rows for whole months and the days of the partial ones, never the cases."""
    office_id = office if isinstance(office, int) else office.pk
    return PeriodFigures({(m, d, k): (n, s) for m, d, k, n, s in fig.figures_office_months(
        office_id, period.start, period.end, dimensions)})


def _open(qs: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """Cases still open, in the literal form the partial indexes of open cases need."""
    return qs.filter(RawSQL(OPEN_CONDITION_SQL, [], output_field=BooleanField()))  # noqa: S611


# The overdue count, one statement for the statistics (`complaint_overdue_count`) and the
# dashboard (a scalar subquery of its overdue list, `complaints_open_overdue_first`), its
# table under an alias of its own (a queryset's subquery would be re-aliased, and the literal
# open condition the partial index needs would then name the outer table). SQLite is told the
# index: without planner statistics (a file nobody ran ANALYZE on, as `make run` makes) it took
# the received-on index over the whole period instead, 293 ms for five years at 1,000,000
# cases against 1 ms (docs/benchmarks.md, sessions 8 and 9); PostgreSQL keeps statistics by
# itself.
_OVERDUE_COUNT_SQL = {  # constants only
    vendor: "SELECT COUNT(*) FROM complaints_complaint overdue "  # noqa: S608
    + ("INDEXED BY cmp_open_due " if vendor == "sqlite" else "")
    + "WHERE overdue.office_id = %s AND overdue.due_on < %s AND overdue.received_on >= %s "
    "AND overdue.received_on <= %s AND "
    + OPEN_CONDITION_SQL.replace('"complaints_complaint".', "overdue.")
    for vendor in ("sqlite", "postgresql")}


def _overdue_count_params(office_id: int, period: Period, as_of: dt.date) -> list[int | dt.date]:
    return [office_id, as_of, period.start, period.end]


def complaint_overdue_count(office: Office | int, period: Period, *, as_of: dt.date) -> int:
    """Cases received in the period, still open and past their due date on `as_of`: read live
    (it changes with the date) from the partial index of open cases, by the same SQL as the
    dashboard's count (`_OVERDUE_COUNT_SQL`, which names the index to SQLite)."""
    office_id = office if isinstance(office, int) else office.pk
    with connection.cursor() as cursor:
        cursor.execute(_OVERDUE_COUNT_SQL[connection.vendor],
                       _overdue_count_params(office_id, period, as_of))
        return int(cursor.fetchone()[0])


def complaint_counts_by_channel(office: Office, period: Period, *,
                                in_report_only: bool = False, live: bool = False,
                                with_forwarded: bool = False) -> list[Row]:
    """Channels in report order with zero included.

    `in_report_only` gives Tabel 1: every channel marked `in_report`, then one "Saluran lainnya"
    row only when unlisted channels received complaints (so the total always adds up).
    Otherwise every active channel, plus inactive ones that received complaints.
    `live` counts the cases themselves instead of the daily figures (the tests' reference).
    """
    if live:
        counts = {r["channel_id"]: (r["n"], r["settled"])
                  for r in _grouped(complaints_in_period(office, period), "channel_id")}
    else:
        counts = {k: v for k, v in period_figures(office, period, [fig.CHANNEL])
                  .by_id(fig.CHANNEL).items() if k is not None}
    counts = _with_forwarded(counts, [f.channel_id for f in _forwarded(office, period,
                                                                       with_forwarded)
                                      if f.channel_id is not None])
    return channel_rows(office, counts, in_report_only=in_report_only)


def _configured(model: type[Channel] | type[Unit] | type[ServiceType], office: Office | int
                ) -> list[Any]:
    """The office's channels (in report order), units or service types (their default order),
    memoised per process like the rest of the configuration (core/refcache.py: an edit is seen
    by the next request): the dashboard and the statistics list them on every request. Shared
    instances: read-only."""
    office_id = office if isinstance(office, int) else office.pk
    ordering = ["order", "name"] if model is Channel else list(model._meta.ordering or [])
    return refcache.memo(("report-rows", model._meta.label, office_id), lambda: list(
        model.objects.filter(office_id=office_id).order_by(*ordering)))


def channel_rows(office: Office, counts: dict[int, tuple[int, int]], *,
                  in_report_only: bool) -> list[Row]:
    counts = dict(counts)
    rows = []
    for channel in _configured(Channel, office):
        listed = channel.in_report if in_report_only else channel.is_active
        if not listed and (in_report_only or channel.pk not in counts):
            continue
        n, settled = counts.pop(channel.pk, (0, 0))
        rows.append(Row(channel.code, channel.name, n, settled))
    if counts:
        rows.append(Row("other", _("Saluran lainnya"), sum(n for n, _s in counts.values()),
                        sum(s for _n, s in counts.values())))
    return rows


def complaint_counts_by_month(office: Office, period: Period, *, live: bool = False,
                              with_forwarded: bool = False) -> list[Row]:
    """Every month of the period, zero included; labels are Indonesian month names.

    From the monthly roll-up (its partial months from the days); `live` groups the cases by
    the date of receipt (a few hundred groups) and folds them into months here: SQLite has no
    native month extraction, and Django's Python date function would run per row."""
    if live:
        days = [(r["received_on"], r["n"], r["settled"])
                for r in _grouped(complaints_in_period(office, period), "received_on")]
        months: dict[tuple[int, int], tuple[int, int]] = {}
    else:
        days, months = [], period_figures(office, period, [fig.STATUS]).by_month()
    days += [(f.received_on, 1, 1) for f in _forwarded(office, period, with_forwarded)]
    return _month_rows(period, months, days)


def _month_rows(period: Period, months: dict[tuple[int, int], tuple[int, int]],
                days: Iterable[tuple[dt.date, int, int]]) -> list[Row]:
    """Every month of the period from (count, settled) per (year, month) plus per day."""
    counts = {key: list(value) for key, value in months.items()}
    for day, n, settled in days:
        got = counts.setdefault((day.year, day.month), [0, 0])
        got[0] += n
        got[1] += settled
    rows = []
    for year, month in period.months():
        n, settled = counts.get((year, month), (0, 0))
        rows.append(Row(f"{year}-{month:02d}", f"{MONTH_NAMES[month - 1]} {year}", n, settled))
    return rows


def complaint_counts_by_status(office: Office, period: Period, *, live: bool = False,
                               with_forwarded: bool = False) -> list[Row]:
    """Every status that occurs, in the order of the procedure (`Status`)."""
    if live:
        counts = {r["status"]: (r["n"], r["settled"])
                  for r in _grouped(complaints_in_period(office, period), "status")}
    else:
        counts = period_figures(office, period, [fig.STATUS]).by(fig.STATUS)
    return [Row(str(s.value), str(s.label), *counts[s.value])
            for s in Status if s.value in counts] + _forwarded_status_rows(
                len(_forwarded(office, period, with_forwarded)))


def _forwarded_status_rows(n: int) -> list[Row]:
    return [Row(FORWARDED, _("Diteruskan ke instansi lain"), n, n)] if n else []


def complaint_counts_settled(office: Office, period: Period, *, live: bool = False,
                             with_forwarded: bool = False) -> list[Row]:
    """Tabel 2: Selesai and Sedang dalam proses (both always present)."""
    forwarded = len(_forwarded(office, period, with_forwarded))
    if not live:
        statuses = period_figures(office, period, [fig.STATUS]).by(fig.STATUS).values()
        return settled_rows(sum(n for n, _s in statuses) + forwarded,
                            sum(s for _n, s in statuses) + forwarded)
    qs = complaints_in_period(office, period).order_by()
    agg = qs.aggregate(total=Count("id"), settled=Count("id", filter=_settled_q()))
    return settled_rows(agg["total"] + forwarded, agg["settled"] + forwarded)


def settled_rows(total: int, settled: int) -> list[Row]:
    """Tabel 2 from totals already counted (e.g. summed over the Tabel 1 rows)."""
    return [Row("settled", _("Selesai"), settled, settled),
            Row("in_process", _("Sedang dalam proses"), total - settled, 0)]


def _fk_rows(counts: dict[int | None, tuple[int, int]], objects: Iterable[Unit | ServiceType],
             none_label: str) -> list[Row]:
    counts = dict(counts)
    rows = []
    for obj in objects:
        got = counts.pop(obj.pk, None)
        if got and got[0]:
            rows.append(Row(obj.code, obj.name, *got))
    rows.sort(key=lambda r: -r.count)
    none = counts.pop(None, None)
    if none and none[0]:
        rows.append(Row("", none_label, *none))
    return rows


def _live_by_fk(office: Office, period: Period, field_name: str) -> dict[int | None, tuple[int, int]]:
    return {r[field_name]: (r["n"], r["settled"])
            for r in _grouped(complaints_in_period(office, period), field_name)}


def complaint_counts_by_unit(office: Office, period: Period, *, live: bool = False,
                             with_forwarded: bool = False) -> list[Row]:
    counts = (_live_by_fk(office, period, "unit_id") if live
              else period_figures(office, period, [fig.UNIT]).by_unit())
    counts = _with_forwarded(counts, [f.unit_id for f in _forwarded(office, period,
                                                                    with_forwarded)])
    return _fk_rows(counts, _configured(Unit, office),
                    _("Belum didisposisikan / tim pengaduan"))


def complaint_counts_by_service_type(office: Office, period: Period, *, live: bool = False,
                                     with_forwarded: bool = False) -> list[Row]:
    counts = (_live_by_fk(office, period, "service_type_id") if live
              else period_figures(office, period, [fig.SERVICE]).by_id(fig.SERVICE))
    counts = _with_forwarded(counts, [f.service_type_id
                                      for f in _forwarded(office, period, with_forwarded)])
    return _fk_rows(counts, _configured(ServiceType, office), _("Tidak ditentukan"))


def _percentile(histogram: Sequence[tuple[int, int]], fraction: float) -> float | None:
    """Nearest-rank percentile of a sorted (value, count) histogram."""
    total = sum(n for _, n in histogram)
    if not total:
        return None
    rank = max(math.ceil(fraction * total), 1)
    seen = 0
    for value, n in histogram:
        seen += n
        if seen >= rank:
            return float(value)
    return float(histogram[-1][0])


def complaint_settle_durations(office: Office, period: Period, *,
                               live: bool = False) -> DurationStats:
    """Average, median and 90th percentile of working days to settle, and the number settled
    within the office's limit, from one GROUP BY over `working_days_taken`."""
    if not live:
        return _durations(period_figures(office, period, [fig.DAYS]).histogram(),
                          office.settle_days)
    histogram = [
        (days, r["n"])
        for r in complaints_in_period(office, period)
        .filter(_settled_q(), working_days_taken__isnull=False)
        .order_by().values("working_days_taken").annotate(n=Count("id"))
        .order_by("working_days_taken")
        if (days := r["working_days_taken"]) is not None  # the query excludes NULL already
    ]
    return _durations(histogram, office.settle_days)


def complaint_first_follow_up_median(office: Office, period: Period, *,
                                     live: bool = False) -> float | None:
    """Median working days from receipt to the first follow-up (SPEC §8 target: under 5).

    The first follow-up is the unit's first action, else the response, else the settlement (a
    question answered at once). Working days depend on the office calendar. From the daily
    figures, the database turns each (day, calendar-day lag) cell into working days with the
    calendar's running count of working days sent as a parameter, and returns a histogram of a
    few dozen rows (`_follow_up_histogram`). `live=True` groups the cases by the (received,
    followed-up) date pair and weighs each pair in Python: the reference the tests hold the
    figures to.
    """
    if not live:
        return _percentile(_follow_up_histogram(office, period), 0.5)
    pairs = [(r["received_on"], r["fu"], r["n"]) for r in (
        complaints_in_period(office, period)
        .annotate(fu=Coalesce("first_follow_up_on", "responded_on", "settled_on"))
        .filter(fu__isnull=False).order_by().values("received_on", "fu")
        .annotate(n=Count("id")))]
    return _percentile(_working_days_histogram(office, pairs), 0.5)


def _working_days_histogram(office: Office | int, pairs: Sequence[tuple[dt.date, dt.date, int]]
                            ) -> list[tuple[int, int]]:
    """Sorted (working days, count) of (received, followed-up, count) date pairs; a follow-up
    dated before the receipt counts as 0 days."""
    if not pairs:
        return []
    office_id = office if isinstance(office, int) else office.pk
    between = calendar_for_office(office_id).counter(min(p[0] for p in pairs),
                                                     max(p[1] for p in pairs))
    counts: dict[int, int] = {}
    for received, first, n in pairs:
        days = max(between(received, first), 0)
        counts[days] = counts.get(days, 0) + n
    return sorted(counts.items())


# The follow-ups the database converts to working days: up to this many days after the end of
# the period (the rare later ones come back as (day, lag) cells and are converted in Python).
FOLLOW_UP_SPAN_DAYS = 366

_FOLLOW_UP_SQL = {
    # `w`: working days from the day of receipt to the first follow-up, from the running count
    # of working days `a` (a[k]: working days in (first, first + k]); NULL past the array.
    "postgresql": """
        WITH cal(a) AS (SELECT %s::int[]),
        f AS (SELECT day, key, count, day - %s::date AS i, day - %s::date + key::int AS j
              FROM complaints_dailyfigure
              WHERE office_id = %s AND dimension = %s AND day >= %s AND day <= %s),
        cells AS (SELECT f.day, f.key, f.count,
                     CASE WHEN f.j BETWEEN 0 AND %s THEN cal.a[f.j + 1] - cal.a[f.i + 1] END AS w
              FROM f CROSS JOIN cal)
        SELECT w, CASE WHEN w IS NULL THEN day END, CASE WHEN w IS NULL THEN key END,
               SUM(count)
        FROM cells GROUP BY 1, 2, 3""",
    "sqlite": """
        WITH cal(a) AS (SELECT %s),
        f AS (SELECT day, key, count,
                     CAST(julianday(day) - julianday(%s) AS INTEGER) AS i,
                     CAST(julianday(day) - julianday(%s) AS INTEGER) + CAST(key AS INTEGER) AS j
              FROM complaints_dailyfigure
              WHERE office_id = %s AND dimension = %s AND day >= %s AND day <= %s),
        cells AS (SELECT f.day, f.key, f.count,
                     CASE WHEN f.j BETWEEN 0 AND %s
                          THEN json_extract(cal.a, '$[' || f.j || ']')
                               - json_extract(cal.a, '$[' || f.i || ']') END AS w
              FROM f CROSS JOIN cal)
        SELECT w, CASE WHEN w IS NULL THEN day END, CASE WHEN w IS NULL THEN key END,
               SUM(count)
        FROM cells GROUP BY 1, 2, 3""",
}


def _follow_up_histogram(office: Office | int, period: Period) -> list[tuple[int, int]]:
    """`_working_days_histogram` of the period's FOLLOW_UP daily figures (complaints/figures.py),
    grouped in the database by working days: one row per distinct number of working days
    instead of one per (day, lag) cell (thousands for a semester)."""
    office_id = office if isinstance(office, int) else office.pk
    last = period.end + dt.timedelta(days=FOLLOW_UP_SPAN_DAYS)
    running = calendar_for_office(office_id).running_count(period.start, last)
    span = len(running) - 1
    # The array as text: psycopg would adapt a list item by item in Python.
    param = (f"{{{','.join(map(str, running))}}}" if connection.vendor == "postgresql"
             else json.dumps(running))
    with connection.cursor() as cursor:
        cursor.execute(_FOLLOW_UP_SQL[connection.vendor], [
            param, period.start, period.start, office_id, fig.FOLLOW_UP, period.start,
            period.end, span])
        rows = cursor.fetchall()
    counts: dict[int, int] = {}
    far: list[tuple[dt.date, dt.date, int]] = []
    for working, day, lag, n in rows:
        if working is None:  # SQLite returns the day as text
            received = day if isinstance(day, dt.date) else dt.date.fromisoformat(day)
            far.append((received, received + dt.timedelta(days=int(lag)), int(n)))
        else:
            days = max(int(working), 0)
            counts[days] = counts.get(days, 0) + int(n)
    for days, n in _working_days_histogram(office_id, far):
        counts[days] = counts.get(days, 0) + n
    return sorted(counts.items())


@dataclass(frozen=True)
class Cube:
    """The period folded in ONE pass: counts grouped by channel, status, working days taken
    and the deadline flags. Everything but unit, service type, month and the first follow-up
    is derived from it, so a report over a million complaints reads them once."""

    cells: list[dict[str, Any]]

    def total(self, **match: object) -> int:
        return sum(c["n"] for c in self.cells
                   if all(c[k] == v for k, v in match.items()))

    def by_channel(self) -> dict[int, tuple[int, int]]:
        """(count, settled) per channel id."""
        return self._by("channel_id")

    def by_status(self) -> dict[str, tuple[int, int]]:
        """(count, settled) per status value."""
        return self._by("status")

    def _by(self, key: str) -> dict[Any, tuple[int, int]]:
        out: dict[Any, list[int]] = {}
        for c in self.cells:
            got = out.setdefault(c[key], [0, 0])
            got[0] += c["n"]
            got[1] += c["n"] if c["settled"] else 0
        return {k: (n, settled) for k, (n, settled) in out.items()}

    def histogram(self) -> list[tuple[int, int]]:
        days: dict[int, int] = {}
        for c in self.cells:
            if c["settled"] and c["working_days_taken"] is not None:
                days[c["working_days_taken"]] = days.get(c["working_days_taken"], 0) + c["n"]
        return sorted(days.items())


def complaint_cube(office: Office, period: Period, *, as_of: dt.date) -> Cube:
    """Group by the raw status and three cheap comparisons; whether a status counts as settled
    is decided here in Python (once per group, not once per row in the database)."""
    rows = (
        complaints_in_period(office, period).order_by()
        .annotate(
            before_due=ExpressionWrapper(Q(settled_on__lte=F("due_on")),
                                         output_field=BooleanField()),
            past_due=ExpressionWrapper(Q(due_on__lt=as_of), output_field=BooleanField()),
            acted=ExpressionWrapper(Q(first_follow_up_on__isnull=False)
                                    | Q(responded_on__isnull=False)
                                    | Q(settled_on__isnull=False),
                                    output_field=BooleanField()))
        .values("channel_id", "status", "working_days_taken", "before_due", "past_due",
                "acted")
        .annotate(n=Count("id"))
    )
    cells = []
    for r in rows:
        settled = r["status"] in SETTLED_STATUSES
        # `settled_on <= due_on` is NULL (None) exactly when there is no settlement date.
        has_settled_on = r["before_due"] is not None
        cells.append({
            "channel_id": r["channel_id"], "status": r["status"],
            "working_days_taken": r["working_days_taken"], "n": r["n"], "settled": settled,
            "overdue": not settled and bool(r["past_due"]),
            "on_time": settled and has_settled_on and bool(r["before_due"]),
            "late": settled and has_settled_on and not r["before_due"],
            "followed": bool(r["acted"]),
        })
    return Cube(cells)


def _durations(histogram: list[tuple[int, int]], limit: int) -> DurationStats:
    total = sum(n for _, n in histogram)
    return DurationStats(
        settled_with_days=total,
        average=(sum(v * n for v, n in histogram) / total) if total else None,
        median=_percentile(histogram, 0.5),
        p90=_percentile(histogram, 0.9),
        within_limit=sum(n for v, n in histogram if v <= limit),
        limit_days=limit,
    )


def complaint_statistics(office: Office, period: Period, *, as_of: dt.date | None = None,
                         with_breakdowns: bool = True, with_follow_up: bool = True,
                         live: bool = False, with_forwarded: bool = False,
                         overdue: int | None = None) -> Statistics:
    """Every figure for the office and period; `as_of` (default today) decides what is overdue.

    From the figures (complaints/figures.py): one query over the period's monthly roll-up (its
    partial months from the days) gives the totals, deadlines, durations, channels, statuses,
    units, service types and months; the first follow-ups' working days (their median and
    count) read the figures per day; only the overdue count reads cases (the open ones, from
    their partial index). `live=True`
    computes everything from the cases themselves (`complaint_cube`): the reference the tests
    hold the figures to, and a cross-check for an operator. `with_forwarded` adds the cases the
    office forwarded to another office as received and settled (the semester report, decision
    0014); the dashboard, the public and the oversight figures count the cases an office
    holds. `overdue`: the overdue count of the period on `as_of` when the caller has read it
    already (the dashboard, with its list: `complaints_open_overdue_first`)."""
    as_of = as_of or timezone.localdate()
    if live:
        return _statistics_live(office, period, as_of=as_of, with_breakdowns=with_breakdowns,
                                with_follow_up=with_follow_up, with_forwarded=with_forwarded)
    figures = period_figures(office, period)
    forwarded = _forwarded(office, period, with_forwarded)
    # The follow-ups' histogram counts every follow-up of the period once: its sum is the
    # number followed up, which without it is summed from the days.
    follow_ups = _follow_up_histogram(office, period) if with_follow_up else None
    statuses = figures.by(fig.STATUS)
    total = sum(n for n, _s in statuses.values()) + len(forwarded)
    settled = sum(s for _n, s in statuses.values()) + len(forwarded)
    deadline = figures.by(fig.DEADLINE)
    stats = Statistics(
        office_id=office.pk, period=period, as_of=as_of, total=total, settled=settled,
        in_process=total - settled, forwarded=len(forwarded),
        overdue=(overdue if overdue is not None
                 else complaint_overdue_count(office, period, as_of=as_of)),
        settled_on_time=deadline.get(fig.ON_TIME, (0, 0))[0],
        settled_late=deadline.get(fig.LATE, (0, 0))[0],
        followed_up=(sum(n for _days, n in follow_ups) if follow_ups is not None
                     else _followed_up_total(office, period)),
        first_follow_up_median_days=(_percentile(follow_ups, 0.5) if follow_ups is not None
                                     else None),
        duration=_durations(figures.histogram(), office.settle_days),
    )
    channels = {k: v for k, v in figures.by_id(fig.CHANNEL).items() if k is not None}
    channels = _with_forwarded(channels, [f.channel_id for f in forwarded
                                          if f.channel_id is not None])
    stats.channel_counts.update(channels)
    stats.by_channel.extend(channel_rows(office, channels, in_report_only=False))
    stats.by_status.extend(Row(str(s.value), str(s.label), *statuses[s.value])
                           for s in Status if s.value in statuses)
    stats.by_status.extend(_forwarded_status_rows(len(forwarded)))
    if with_breakdowns:
        stats.by_month.extend(_month_rows(period, figures.by_month(),
                                          [(f.received_on, 1, 1) for f in forwarded]))
        stats.by_unit.extend(_fk_rows(_with_forwarded(figures.by_unit(),
                                                      [f.unit_id for f in forwarded]),
                                      _configured(Unit, office),
                                      _("Belum didisposisikan / tim pengaduan")))
        stats.by_service_type.extend(_fk_rows(
            _with_forwarded(figures.by_id(fig.SERVICE), [f.service_type_id for f in forwarded]),
            _configured(ServiceType, office), _("Tidak ditentukan")))
    return stats


def _followed_up_total(office: Office, period: Period) -> int:
    """Cases of the period with a first follow-up, from the FOLLOW_UP daily figures."""
    return DailyFigure.objects.filter(
        office_id=office.pk, dimension=fig.FOLLOW_UP, day__gte=period.start,
        day__lte=period.end).order_by().aggregate(n=Sum("count"))["n"] or 0


def _statistics_live(office: Office, period: Period, *, as_of: dt.date, with_breakdowns: bool,
                     with_follow_up: bool, with_forwarded: bool) -> Statistics:
    """`complaint_statistics` from the cases: one pass (`complaint_cube`) for the totals,
    deadlines, durations, channels and statuses, one more for each breakdown."""
    cube = complaint_cube(office, period, as_of=as_of)
    forwarded = _forwarded(office, period, with_forwarded)
    total, settled = cube.total() + len(forwarded), cube.total(settled=True) + len(forwarded)
    stats = Statistics(
        office_id=office.pk, period=period, as_of=as_of, total=total, settled=settled,
        in_process=total - settled, overdue=cube.total(overdue=True), forwarded=len(forwarded),
        settled_on_time=cube.total(on_time=True), settled_late=cube.total(late=True),
        followed_up=cube.total(followed=True),
        first_follow_up_median_days=(complaint_first_follow_up_median(office, period, live=True)
                                     if with_follow_up else None),
        duration=_durations(cube.histogram(), office.settle_days),
    )
    channels = _with_forwarded(cube.by_channel(), [f.channel_id for f in forwarded
                                                   if f.channel_id is not None])
    stats.channel_counts.update(channels)
    stats.by_channel.extend(channel_rows(office, channels, in_report_only=False))
    statuses = cube.by_status()
    stats.by_status.extend(Row(str(s.value), str(s.label), *statuses[s.value])
                           for s in Status if s.value in statuses)
    stats.by_status.extend(_forwarded_status_rows(len(forwarded)))
    if with_breakdowns:
        stats.by_month.extend(complaint_counts_by_month(office, period, live=True,
                                                        with_forwarded=with_forwarded))
        stats.by_unit.extend(complaint_counts_by_unit(office, period, live=True,
                                                      with_forwarded=with_forwarded))
        stats.by_service_type.extend(complaint_counts_by_service_type(
            office, period, live=True, with_forwarded=with_forwarded))
    return stats


def complaints_open_overdue(office: Office, *, as_of: dt.date | None = None,
                            period: Period | None = None) -> QuerySet[Complaint]:
    """Open cases past their due date, oldest deadline first: the columns the dashboard lists
    (register number, dates, unit, subject), not the whole case."""
    as_of = as_of or timezone.localdate()
    qs = (complaints_in_period(office, period) if period
          else Complaint.objects.filter(office=office))
    return (_open(qs).filter(due_on__lt=as_of).select_related("unit")
            .only("register_number", "received_on", "due_on", "subject", "unit__name")
            .order_by("due_on", "id"))




def complaints_open_overdue_first(office: Office, *, as_of: dt.date, period: Period,
                                  limit: int) -> tuple[list[Complaint], int]:
    """The first `limit` of `complaints_open_overdue` and how many there are in all, in one
    query: the count is an uncorrelated scalar subquery of the list's query (computed once,
    on the same partial index as `complaint_overdue_count`)."""
    total = RawSQL(_OVERDUE_COUNT_SQL[connection.vendor],  # noqa: S611
                   _overdue_count_params(office.pk, period, as_of), output_field=IntegerField())
    rows: list[Complaint] = list(complaints_open_overdue(office, as_of=as_of, period=period)
                                 .annotate(overdue_total=total)[:limit])
    return rows, (getattr(rows[0], "overdue_total", 0) if rows else 0)


def complaints_for_recap(office: Office, period: Period) -> QuerySet[Complaint]:
    """Tabel 3 and the register book: every complaint of the period in order of receipt."""
    return complaints_in_period(office, period).select_related(
        "channel", "reporter", "unit", "service_type").order_by(
        "received_on", "register_sequence", "id")


def complaints_open_in_period(office: Office, period: Period) -> QuerySet[Complaint]:
    """Cases received up to the end of the period that are still open (monthly report)."""
    return (_open(Complaint.objects.filter(office=office, received_on__lte=period.end))
            .select_related("channel", "unit", "reporter")
            .order_by("received_on", "id"))


def complaint_latest_received_on(office: Office) -> dt.date | None:
    """The newest date of receipt (index `cmp_received_on`), to default a period to data."""
    return (Complaint.objects.filter(office=office).order_by("-received_on")
            .values_list("received_on", flat=True).first())
