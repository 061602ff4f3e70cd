"""The regency's figures per office (and per unit of one office): aggregates only.

Counts come from the daily figures (complaints/figures.py) over every office's rows of the
period (whole months from their monthly roll-up), so 50 offices cost what one does; what depends
on today's date (overdue) is read live from the partial index of open cases; both in one
statement (`_counts`). The IKM of all offices comes from two grouped queries
(`ikm.selectors.service_rating_ikm_by_office`).

Nothing here returns a case, a reporter or a case's text: every function returns numbers per
office or unit. The desk's regency dashboard and the portal's public regency statistics read
the same functions, so the public figures are the oversight figures minus what is not public.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
)
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.complaints import figures as fig
from aduan.complaints.models import (
    OPEN_CONDITION_SQL,
    CaseTransfer,
    Complaint,
    DailyFigure,
    MonthlyFigure,
    TransferState,
)
from aduan.ikm.scoring import IkmResult
from aduan.ikm.selectors import service_rating_ikm_by_office
from aduan.offices.calendar import calendar_for_office
from aduan.offices.models import Office
from aduan.offices.selectors import office_list_public, office_routes, office_units
from aduan.reports.selectors import Period, _percentile


@dataclass(frozen=True)
class TransferFigures:
    """An office's hops to other offices (forwards, and routes from the central intake) made
    in the period: how many, how many the receiver refused back, and the working days from the
    office's receipt of the case to the hop (median by nearest rank, and the longest)."""

    sent: int = 0
    refused: int = 0
    median_days: float | None = None
    max_days: int | None = None


@dataclass
class Figures:
    """One line of the table: an office (or a unit of one office, or the total)."""

    key: str
    label: str
    total: int = 0
    settled: int = 0
    overdue: int = 0          # still open past the due date on `as_of`
    on_time: int = 0          # settled on or before the due date
    late: int = 0             # settled after the due date
    ikm: IkmResult | None = None
    transfers: TransferFigures | None = None
    office_id: int | None = None
    unit_id: int | None = None

    @property
    def in_process(self) -> int:
        return self.total - self.settled

    @property
    def settled_share(self) -> float | None:
        return self.settled / self.total if self.total else None

    @property
    def on_time_share(self) -> float | None:
        """Settled within the deadline, of all settled: the desk dashboard's definition
        (`reports.selectors.Statistics.on_time_share`)."""
        return self.on_time / self.settled if self.settled else None

    def add(self, other: Figures) -> None:
        self.total += other.total
        self.settled += other.settled
        self.overdue += other.overdue
        self.on_time += other.on_time
        self.late += other.late


@dataclass
class RegencyFigures:
    period: Period
    as_of: dt.date
    rows: list[Figures] = field(default_factory=list)
    total: Figures = field(default_factory=lambda: Figures("total", _("Jumlah")))

    @property
    def max_total(self) -> int:
        """The longest bar of the table's volume column."""
        return max((r.total for r in self.rows), default=0)


def regency_offices() -> list[Office]:
    """The offices of the instance the oversight sees: the active ones, by name (the
    regency's public list of offices, memoised per process)."""
    return office_list_public()


def regency_office(code: str) -> Office | None:
    """The active office of this code (an office's page), from the memoised offices: no
    query. A shared instance: do not modify it."""
    return office_routes().by_code.get(code)


def regency_figures(period: Period, *, as_of: dt.date, offices: Sequence[Office] | None = None,
                    with_ikm: bool = True, with_transfers: bool = True,
                    with_counts: bool = True) -> RegencyFigures:
    """Per office: received, settled, in process, overdue on `as_of`, settled on time and
    late (daily figures; left at zero without `with_counts`), the IKM of the period and the
    forwarding delays of the hops it made in the period (`transfer_figures`); plus the
    regency's total."""
    offices = list(offices) if offices is not None else regency_offices()
    ids = [o.pk for o in offices]
    rows = {o.pk: Figures(o.code, o.name, office_id=o.pk) for o in offices}
    if with_counts:
        _count_offices(rows, period, as_of=as_of)
    if with_ikm:
        for office_id, ikm in service_rating_ikm_by_office(offices, period).items():
            rows[office_id].ikm = ikm
    if with_transfers:
        transfers = transfer_figures(period, offices)
        for office_id, row in rows.items():
            row.transfers = transfers.get(office_id, TransferFigures())
    out = RegencyFigures(period=period, as_of=as_of, rows=[rows[i] for i in ids])
    for row in out.rows:
        out.total.add(row)
    if with_transfers:
        out.total.transfers = transfers.get(None, TransferFigures())
    return out


def _count_offices(rows: dict[int, Figures], period: Period, *, as_of: dt.date | None) -> None:
    """Fill the counts of `rows` (by office id) from one statement (`_counts`): received,
    settled, on time and late from the offices' status and deadline figures of the period (its
    whole months from the monthly roll-up, its edge days from the daily figures:
    `figures.period_parts`, as `figures_period_sums`), and, unless `as_of` is None, their
    cases of the period still open past their due date on `as_of`."""
    months, edges = fig.period_parts(period.start, period.end)
    for office_id, *counts in _counts("office_id", list(rows), period, as_of=as_of,
                                      deadline=fig.DEADLINE, months=months, edges=edges):
        _add_counts(rows[office_id], *counts)


def _add_counts(row: Figures, *counts: int | None) -> None:
    """A line of `_counts` (received, settled, on time, late, overdue) into a table row."""
    n, settled, on_time, late, overdue = counts
    row.total += n or 0
    row.settled += settled or 0
    row.on_time += on_time or 0
    row.late += late or 0
    row.overdue += overdue or 0


def _counts(group: str, office_ids: list[int], period: Period, *, as_of: dt.date | None,
            deadline: str, months: tuple[dt.date, dt.date] | None,
            edges: list[tuple[dt.date, dt.date]]) -> list[tuple[Any, ...]]:
    """Lines of (`group`: office or unit, received, settled, on time, late, overdue) of the
    offices, to be summed per `group`: from the status and `deadline` figures of the roll-up's
    `months` [first, stop) and of the daily figures' `edges` (inclusive ranges), and the open
    cases of the period past their due date on `as_of` (none when None); one statement."""
    if not office_ids or (months is None and not edges):
        return []
    cells = [fig.STATUS, fig.STATUS, deadline, fig.ON_TIME, deadline, fig.LATE,
             *office_ids, fig.STATUS, deadline]
    params: list[Any] = []
    for lo, hi in ([months] if months is not None else []) + edges:
        params += [*cells, lo, hi]
    if as_of is not None:
        params += [*office_ids, as_of, period.start, period.end]
    sql = _counts_sql(group, len(office_ids), months is not None, len(edges), as_of is not None)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        lines: list[tuple[Any, ...]] = cursor.fetchall()
    return lines


@functools.lru_cache(maxsize=64)
def _counts_sql(group: str, offices: int, months: bool, edges: int, overdue: bool) -> str:
    """The statement of `_counts`: a UNION ALL of one grouped part for the roll-up's months
    (when `months`), one per range of days (`edges`) and one for the open overdue cases (when
    `overdue`). SQL written out: the ORM's UNION of grouped querysets and its grouped count
    cost more CPU to build than the statement takes to run. Nothing but names from the code
    goes into the text; dimensions, keys, offices and dates are parameters."""
    ids = ", ".join(["%s"] * offices)

    def part(table: str, column: str, stop: str) -> str:
        return (
            f'SELECT "{group}", SUM(CASE WHEN "dimension" = %s THEN "count" ELSE 0 END), '  # noqa: S608
            'SUM(CASE WHEN "dimension" = %s THEN "settled" ELSE 0 END), '
            'SUM(CASE WHEN "dimension" = %s AND "key" = %s THEN "count" ELSE 0 END), '
            'SUM(CASE WHEN "dimension" = %s AND "key" = %s THEN "count" ELSE 0 END), 0 '
            f'FROM "{table}" WHERE "office_id" IN ({ids}) '
            f'AND "dimension" IN (%s, %s) AND "{column}" >= %s AND "{column}" {stop} %s '
            f'GROUP BY "{group}"')

    parts = []
    if months:
        parts.append(part(MonthlyFigure._meta.db_table, "month", "<"))
    parts += [part(DailyFigure._meta.db_table, "day", "<=")] * edges
    if overdue:
        # The open condition literally, as the partial index of open cases needs it
        # (`reports.selectors._open`).
        parts.append(
            f'SELECT "{group}", 0, 0, 0, 0, COUNT(*) FROM "{Complaint._meta.db_table}" '  # noqa: S608
            f'WHERE {OPEN_CONDITION_SQL} AND "office_id" IN ({ids}) AND "due_on" < %s '
            f'AND "received_on" >= %s AND "received_on" <= %s GROUP BY "{group}"')
    return " UNION ALL ".join(parts)


def office_page_figures(office: Office, period: Period, *, as_of: dt.date,
                        ) -> tuple[Figures, RegencyFigures]:
    """An office's line of the regency table and the table of its units, for its page. The
    line's counts are the units' total (the same daily figures and open cases, summed per
    unit instead of per office), so they are read once; its IKM and hops as the regency
    table reads them."""
    units = office_unit_figures(office, period, as_of=as_of)
    line = regency_figures(period, as_of=as_of, offices=[office], with_counts=False).rows[0]
    line.add(units.total)
    return line, units


def transfer_figures(period: Period, offices: Sequence[Office],
                     ) -> dict[int | None, TransferFigures]:
    """Per sending office (and, under None, all of them together), its hops made within the
    period (by the day of the hop, office time): one grouped query by the (received, hopped)
    pair of days, then working days on the sending office's calendar once per distinct pair."""
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    pairs: dict[int, dict[tuple[dt.date, dt.date], int]] = {}
    refused: dict[int, int] = {}
    for office_id, state, received, hopped, n in (
            CaseTransfer.objects.filter(from_office_id__in=[o.pk for o in offices],
                                        requested_at__gte=start, requested_at__lt=end)
            .order_by().annotate(received=TruncDate("from_received_at", tzinfo=zone),
                                 hopped=TruncDate("requested_at", tzinfo=zone))
            .values("from_office_id", "state", "received", "hopped").annotate(n=Count("id"))
            .values_list("from_office_id", "state", "received", "hopped", "n")):
        got = pairs.setdefault(office_id, {})
        got[(received, hopped)] = got.get((received, hopped), 0) + n
        if state == TransferState.REFUSED:
            refused[office_id] = refused.get(office_id, 0) + n
    out: dict[int | None, TransferFigures] = {}
    pooled: dict[int, int] = {}
    for office_id, counted in pairs.items():
        calendar = calendar_for_office(office_id)
        days: dict[int, int] = {}
        for (received, hopped), n in counted.items():
            taken = max(calendar.working_days_between(received, hopped), 0)
            days[taken] = days.get(taken, 0) + n
            pooled[taken] = pooled.get(taken, 0) + n
        out[office_id] = _transfer_figures(days, refused.get(office_id, 0))
    out[None] = _transfer_figures(pooled, sum(refused.values()))
    return out


def _transfer_figures(days: dict[int, int], refused: int) -> TransferFigures:
    histogram = sorted(days.items())
    return TransferFigures(sent=sum(days.values()), refused=refused,
                           median_days=_percentile(histogram, 0.5),
                           max_days=histogram[-1][0] if histogram else None)


def office_unit_figures(office: Office, period: Period, *, as_of: dt.date) -> RegencyFigures:
    """The same figures per unit of one office (the drill-down), from one statement
    (`_counts`): received, settled, on time and late from the daily figures (their status and
    unit deadline cells carry the unit), overdue from the partial index of open cases."""
    rows: dict[int | None, Figures] = {
        u.pk: Figures(u.code, u.name, office_id=office.pk, unit_id=u.pk)
        for u in office_units(office.pk)}
    unassigned = Figures("", _("Belum didisposisikan / tim pengaduan"), office_id=office.pk)
    for unit_id, *counts in _counts("unit_id", [office.pk], period, as_of=as_of,
                                    deadline=fig.UNIT_DEADLINE, months=None,
                                    edges=[(period.start, period.end)]):
        _add_counts(rows.get(unit_id, unassigned) if unit_id is not None else unassigned,
                    *counts)
    listed = [r for r in rows.values() if r.total or r.overdue]
    listed.sort(key=lambda r: (-r.total, r.label))
    if unassigned.total or unassigned.overdue:
        listed.append(unassigned)
    out = RegencyFigures(period=period, as_of=as_of, rows=listed)
    for r in out.rows:
        out.total.add(r)
    return out


def _receipt_span(offices: Sequence[Office], *, first: bool = True
                  ) -> tuple[dt.date | None, dt.date | None]:
    """The oldest (when `first`) and the newest date of receipt of the offices' cases, in ONE
    query whatever the number of offices: a line per office with correlated subqueries, each
    a single probe of the office's index of dates of receipt (`cmp_received_on`: its first and
    its last entry), never a scan of the cases. SQL written out (`_receipt_span_sql`): the
    ORM's annotated subqueries cost about 1 ms of CPU to build for a statement that runs in
    less."""
    ids = [o.pk for o in offices]
    if not ids:
        return None, None
    with connection.cursor() as cursor:
        cursor.execute(_receipt_span_sql(len(ids), first), ids)
        rows = cursor.fetchall()
    firsts = [_day(r[0]) for r in rows if r[0] is not None]
    lasts = [_day(r[1]) for r in rows if r[1] is not None]
    return min(firsts, default=None), max(lasts, default=None)


def _day(value: dt.date | str) -> dt.date:
    """A date read by a raw cursor: SQLite gives the column of a subquery as text."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


@functools.lru_cache(maxsize=16)
def _receipt_span_sql(offices: int, first: bool) -> str:
    """The statement of `_receipt_span` for `offices` ids (placeholders); names from the code
    only."""
    cases, office = Complaint._meta.db_table, Office._meta.db_table

    def probe(order: str) -> str:
        return (f'(SELECT c."received_on" FROM "{cases}" c WHERE c."office_id" = o."id" '  # noqa: S608
                f'ORDER BY c."received_on" {order} LIMIT 1)')

    ids = ", ".join(["%s"] * offices)
    return (f'SELECT {probe("ASC") if first else "NULL"}, {probe("DESC")} '  # noqa: S608
            f'FROM "{office}" o WHERE o."id" IN ({ids})')


def regency_latest_received_on(offices: Sequence[Office] | None = None) -> dt.date | None:
    """The newest date of receipt of the offices (to default the period to data): one query,
    an index probe per office inside it (`_receipt_span`)."""
    offices = list(offices) if offices is not None else regency_offices()
    return _receipt_span(offices, first=False)[1]


# --------------------------------------------------------------------------------------------
# Public statistics of the whole regency (portal /statistik/kabupaten/)
# --------------------------------------------------------------------------------------------


@dataclass
class PublicOfficeRow:
    """One office's published figures: exactly those its own /statistik/ page publishes
    (`portal.selectors.public_stats`): counts, the share settled within the deadline, IKM."""

    code: str
    name: str
    total: int
    settled: int
    settled_within_deadline: int
    ikm: IkmResult | None

    @property
    def in_process(self) -> int:
        return self.total - self.settled

    @property
    def share_within_deadline(self) -> float | None:
        """Percent, one decimal, as the office's own page rounds it."""
        return round(100 * self.settled_within_deadline / self.settled, 1) if self.settled \
            else None

    def as_dict(self) -> dict[str, object]:
        ikm = self.ikm
        return {
            "code": self.code, "name": self.name, "total": self.total,
            "settled": self.settled, "in_process": self.in_process,
            "settled_within_deadline": self.settled_within_deadline,
            "share_within_deadline_percent": self.share_within_deadline,
            "ikm": None if ikm is None or ikm.ikm is None else float(ikm.ikm),
            "ikm_grade": None if ikm is None or ikm.grade is None else ikm.grade.letter,
            "ikm_respondents": 0 if ikm is None else ikm.respondents,
        }


@dataclass
class PublicRegencyStats:
    year: int | None
    years: list[int]
    rows: list[PublicOfficeRow] = field(default_factory=list)
    total: PublicOfficeRow = field(
        default_factory=lambda: PublicOfficeRow("total", _("Seluruh kabupaten"), 0, 0, 0, None))

    def as_dict(self) -> dict[str, object]:
        total = self.total.as_dict()
        for key in ("ikm", "ikm_grade", "ikm_respondents", "code", "name"):
            total.pop(key)
        return {"year": self.year, "offices": [r.as_dict() for r in self.rows],
                "total": total}


def regency_years(offices: Sequence[Office]) -> list[int]:
    """Every year from the first case received to the last, newest first: one query
    (`_receipt_span`), two index probes per office inside it."""
    first, last = _receipt_span(offices)
    if first is None or last is None:
        return []
    return list(range(last.year, first.year - 1, -1))


def regency_public_stats(year: int | None, *, offices: Sequence[Office] | None = None,
                         years: list[int] | None = None) -> PublicRegencyStats:
    """Per active office, for one year or (None) every year: received, settled, in process,
    settled within the deadline and the IKM of the answers given in the year (or ever), the
    same aggregates each office's public statistics page shows. No personal data. `years`
    is `regency_years(offices)` when the caller has it already."""
    offices = list(offices) if offices is not None else regency_offices()
    years = regency_years(offices) if years is None else years
    stats = PublicRegencyStats(year=year, years=years)
    if year is not None:
        period: Period | None = Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
    elif years:
        period = Period(dt.date(years[-1], 1, 1), dt.date(years[0], 12, 31))
    else:
        period = None
    ikm = service_rating_ikm_by_office(
        offices, Period(dt.date(year, 1, 1), dt.date(year, 12, 31)) if year is not None
        else None)
    counts = {o.pk: Figures(o.code, o.name, office_id=o.pk) for o in offices}
    if period is not None:
        _count_offices(counts, period, as_of=None)  # nothing overdue is published
    for office in offices:
        got = counts[office.pk]
        row = PublicOfficeRow(office.code, office.name, got.total, got.settled, got.on_time,
                              ikm.get(office.pk))
        stats.rows.append(row)
        stats.total.total += row.total
        stats.total.settled += row.settled
        stats.total.settled_within_deadline += row.settled_within_deadline
    return stats
