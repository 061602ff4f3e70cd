"""The regency figures against the hand-computed three offices of conftest.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aduan.complaints.figures import (
    figures_differences,
    figures_period_sums,
    months_differences,
    period_parts,
)
from aduan.complaints.models import OPEN_STATUS_VALUES, Complaint, DailyFigure
from aduan.complaints.workflow import SETTLED_STATUSES, Status
from aduan.ikm.selectors import service_rating_ikm
from aduan.offices.models import Office, Unit
from aduan.oversight.selectors import (
    Figures,
    _count_offices,
    office_page_figures,
    office_unit_figures,
    regency_figures,
)
from aduan.oversight.tests.conftest import AS_OF, PERIOD
from aduan.reports.selectors import Period, complaint_statistics

pytestmark = pytest.mark.django_db


def _by_key(figures):  # type: ignore[no-untyped-def]
    return {r.key: r for r in figures.rows}


def test_figures_per_office_and_in_total(regency):
    figures = regency_figures(PERIOD, as_of=AS_OF)
    rows = _by_key(figures)
    assert list(rows) == ["dinas-a", "dinas-b", "dinas-c"]  # active offices by name; D left out
    a, b, c = rows["dinas-a"], rows["dinas-b"], rows["dinas-c"]
    assert (a.total, a.settled, a.in_process, a.overdue, a.on_time, a.late) == (4, 2, 2, 1, 1, 1)
    assert a.on_time_share == 0.5
    assert (b.total, b.settled, b.in_process, b.overdue, b.on_time, b.late) == (4, 3, 1, 1, 3, 0)
    assert b.on_time_share == 1.0
    assert (c.total, c.settled, c.overdue) == (0, 0, 0)
    assert c.on_time_share is None and c.settled_share is None
    total = figures.total
    assert (total.total, total.settled, total.in_process, total.overdue, total.on_time,
            total.late) == (8, 5, 3, 2, 4, 1)
    assert total.on_time_share == 0.8


def test_overdue_depends_on_the_day_asked(regency):
    # On 2025-03-31 only A's case due 2025-03-29 is past due (B's is due 2025-05-30).
    rows = _by_key(regency_figures(PERIOD, as_of=dt.date(2025, 3, 31)))
    assert (rows["dinas-a"].overdue, rows["dinas-b"].overdue) == (1, 0)
    # On 2025-07-20 A's unassigned case (due 2025-07-18) is late too.
    rows = _by_key(regency_figures(PERIOD, as_of=dt.date(2025, 7, 20)))
    assert (rows["dinas-a"].overdue, rows["dinas-b"].overdue) == (2, 1)


def test_forwarding_delays_per_office(regency):
    figures = regency_figures(PERIOD, as_of=AS_OF)
    rows = _by_key(figures)
    a, b, c = (rows[k].transfers for k in ("dinas-a", "dinas-b", "dinas-c"))
    assert (a.sent, a.refused, a.median_days, a.max_days) == (2, 1, 2, 5)
    assert (b.sent, b.refused, b.median_days, b.max_days) == (1, 0, 1, 1)
    assert (c.sent, c.refused, c.median_days, c.max_days) == (0, 0, None, None)
    total = figures.total.transfers
    assert (total.sent, total.refused, total.median_days, total.max_days) == (3, 1, 2, 5)
    # A's hop of December 2024 counts in its own period.
    december = regency_figures(Period(dt.date(2024, 12, 1), dt.date(2024, 12, 31)),
                               as_of=AS_OF)
    assert _by_key(december)["dinas-a"].transfers.sent == 1


def test_ikm_per_office(regency):
    rows = _by_key(regency_figures(PERIOD, as_of=AS_OF))
    b = rows["dinas-b"].ikm
    assert b.respondents == 2  # the answers of 4 and 3 on every element
    assert all(e.nrr == pytest.approx(3.5) for e in b.elements)
    assert b.ikm == service_rating_ikm(regency.b, PERIOD).ikm
    assert b.grade.letter == service_rating_ikm(regency.b, PERIOD).grade.letter
    assert rows["dinas-a"].ikm.respondents == 0  # A's answer was given before the period
    assert rows["dinas-a"].ikm.ikm is None


def test_units_of_one_office(regency):
    figures = office_unit_figures(regency.a, PERIOD, as_of=AS_OF)
    rows = _by_key(figures)
    one, two, unassigned = rows["dinas-a-1"], rows["dinas-a-2"], rows[""]
    assert (one.total, one.settled, one.overdue, one.on_time, one.late) == (2, 2, 0, 1, 1)
    assert (two.total, two.settled, two.overdue, two.on_time, two.late) == (1, 0, 1, 0, 0)
    assert (unassigned.total, unassigned.settled, unassigned.overdue) == (1, 0, 0)
    assert [r.key for r in figures.rows] == ["dinas-a-1", "dinas-a-2", ""]
    assert (figures.total.total, figures.total.overdue, figures.total.on_time_share) == \
        (4, 1, 0.5)


def test_units_follow_a_renamed_and_a_new_unit(regency):
    """The drill-down's units are memoised per process; a unit renamed, or a new one given a
    case, shows at once (core/refcache.py clears the memo on save)."""
    assert [r.label for r in office_unit_figures(regency.a, PERIOD, as_of=AS_OF).rows][:2] == [
        "Bidang Satu Dinas A", "Bidang Dua Dinas A"]
    unit = regency.a.units.get(code="dinas-a-2")
    unit.name = "Bidang Baru"
    unit.save()
    three = Unit.objects.create(office=regency.a, code="dinas-a-3", name="Bidang Tiga")
    case = Complaint.objects.get(pk=regency.cases[3].pk)  # A's unassigned open case
    case.unit = three
    case.save()
    rows = _by_key(office_unit_figures(regency.a, PERIOD, as_of=AS_OF))
    assert rows["dinas-a-2"].label == "Bidang Baru"
    assert rows["dinas-a-3"].label == "Bidang Tiga" and rows["dinas-a-3"].total == 1
    assert "" not in rows


def _live_deadline_per_unit(office: Office, period: Period) -> dict[int | None, tuple[int, int]]:
    """(on time, late) per unit counted from the cases themselves: what the drill-down
    computed before the deadline figures carried the unit."""
    out: dict[int | None, list[int]] = {}
    for unit_id, before_due, n in (
            Complaint.objects.filter(office=office, received_on__gte=period.start,
                                     received_on__lte=period.end,
                                     status__in=[str(s) for s in SETTLED_STATUSES],
                                     settled_on__isnull=False)
            .order_by().annotate(before_due=ExpressionWrapper(
                Q(settled_on__lte=F("due_on")), output_field=BooleanField()))
            .values("unit_id", "before_due").annotate(n=Count("id"))
            .values_list("unit_id", "before_due", "n")):
        out.setdefault(unit_id, [0, 0])[0 if before_due else 1] += n
    return {k: (v[0], v[1]) for k, v in out.items()}


def _deadline_per_unit(office: Office, period: Period) -> dict[int | None, tuple[int, int]]:
    return {r.unit_id: (r.on_time, r.late)
            for r in office_unit_figures(office, period, as_of=AS_OF).rows
            if r.on_time or r.late}


def test_units_on_time_and_late_follow_the_cases(regency):
    """The deadline figures carry the unit: the drill-down's on time and late per unit are the
    cases' own, also after a settled case moves to another unit and an open one is settled."""
    wide = Period(dt.date(2024, 1, 1), dt.date(2025, 12, 31))
    one, two = (regency.a.units.get(code=f"dinas-a-{n}").pk for n in (1, 2))
    assert _deadline_per_unit(regency.a, PERIOD) == _live_deadline_per_unit(
        regency.a, PERIOD) == {one: (1, 1)}
    late = regency.cases[1]  # A-1, settled after its due date
    late.unit_id = two
    late.save()
    overdue = regency.cases[2]  # A-2, open and overdue
    overdue.status, overdue.settled_on = Status.CLOSED, dt.date(2025, 7, 1)
    overdue.save()
    assert figures_differences() == []
    for office in (regency.a, regency.b, regency.c):
        for period in (PERIOD, wide):
            assert _deadline_per_unit(office, period) == _live_deadline_per_unit(office, period)
    assert _deadline_per_unit(regency.a, PERIOD) == {one: (1, 0), two: (0, 2)}
    b_units = _deadline_per_unit(regency.b, PERIOD)
    assert sorted(b_units.values()) == [(1, 0), (2, 0)]  # B-1 one, unassigned two


def test_an_office_pages_line_is_its_line_of_the_regency_table(regency):
    """The office page sums its units' figures for its own line: the same numbers as the
    regency table's line of that office, IKM and hops included."""
    for period in (PERIOD, Period(dt.date(2024, 1, 1), dt.date(2025, 12, 31))):
        table = _by_key(regency_figures(period, as_of=AS_OF))
        for office in (regency.a, regency.b, regency.c):
            line, units = office_page_figures(office, period, as_of=AS_OF)
            want = table[office.code]
            assert (line.key, line.total, line.settled, line.overdue, line.on_time,
                    line.late) == (want.key, want.total, want.settled, want.overdue,
                                   want.on_time, want.late)
            assert (line.ikm, line.transfers) == (want.ikm, want.transfers)
            assert units.total.total == line.total


def test_figures_agree_with_each_offices_own_statistics(regency):
    """The regency table says what each office's dashboard says (reports.selectors, live)."""
    assert figures_differences() == []
    rows = _by_key(regency_figures(PERIOD, as_of=AS_OF))
    for office in (regency.a, regency.b, regency.c):
        own = complaint_statistics(office, PERIOD, as_of=AS_OF, live=True)
        row = rows[office.code]
        assert (row.total, row.settled, row.overdue, row.on_time, row.late) == (
            own.total, own.settled, own.overdue, own.settled_on_time, own.settled_late)
        assert row.on_time_share == own.on_time_share


def test_a_case_settled_later_moves_the_figures(regency):
    from aduan.complaints.workflow import Status

    case = regency.cases[2]  # A-2's overdue case
    case.status, case.settled_on = Status.CLOSED, dt.date(2025, 7, 1)
    case.save()
    a = _by_key(regency_figures(PERIOD, as_of=AS_OF))["dinas-a"]
    assert (a.settled, a.overdue, a.late) == (3, 0, 2)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)),
       days=st.integers(0, 5 * 366))
def test_any_period_adds_up(regency, start, days):
    end = min(start + dt.timedelta(days=days), dt.date(2099, 12, 31))
    figures = regency_figures(Period(start, end), as_of=AS_OF)
    assert figures.total.total == sum(r.total for r in figures.rows)
    assert all(0 <= r.settled <= r.total and r.on_time + r.late <= r.settled
               and r.overdue <= r.in_process for r in figures.rows)


def _daily_sums(ids, start, end):  # type: ignore[no-untyped-def]
    """The reference: the same sums from the daily figures alone."""
    from django.db.models import Sum

    return sorted(
        (o, d, k, n, s) for o, d, k, n, s in
        DailyFigure.objects.filter(office_id__in=ids, dimension__in=["status", "deadline"],
                                   day__gte=start, day__lte=end)
        .order_by().values("office_id", "dimension", "key")
        .annotate(n=Sum("count"), s=Sum("settled"))
        .values_list("office_id", "dimension", "key", "n", "s"))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.dates(dt.date(2024, 10, 1), dt.date(2025, 9, 30)),
       days=st.integers(0, 400))
def test_whole_months_from_the_roll_up_equal_the_days(regency, start, days):
    """Any period (inside a month, across a month's edge, whole months with or without
    partial edges) sums to what the daily figures alone give."""
    ids = list(Office.objects.values_list("pk", flat=True))
    end = start + dt.timedelta(days=days)
    assert months_differences() == []
    assert sorted(figures_period_sums(ids, start, end)) == _daily_sums(ids, start, end)


def test_the_roll_up_follows_moves_between_months_and_offices(regency):
    """A case whose date of receipt moves to another month, a settlement, a case moved to
    another office and a deletion: the roll-up stays the sum of the days after each."""
    case = Complaint.objects.get(pk=regency.cases[2].pk)  # A-2's open case of March
    case.received_on, case.due_on = dt.date(2025, 5, 2), dt.date(2025, 5, 30)
    case.received_at = case.received_at + (case.received_on - regency.cases[2].received_on)
    case.save()
    assert months_differences() == []
    case.status, case.settled_on = Status.CLOSED, dt.date(2025, 7, 1)
    case.save()
    assert months_differences() == []
    case.office = regency.b
    case.unit = None
    case.save()
    assert months_differences() == [] and figures_differences() == []
    case.delete()
    assert months_differences() == [] and figures_differences() == []
    ids = [regency.a.pk, regency.b.pk]
    assert (sorted(figures_period_sums(ids, dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
            == _daily_sums(ids, dt.date(2025, 1, 1), dt.date(2025, 12, 31)))


def test_a_period_of_whole_months_reads_no_daily_figure(regency):
    """Whole months come from the roll-up alone; a partial month reads only its days."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ids = list(Office.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as captured:
        figures_period_sums(ids, dt.date(2020, 1, 1), dt.date(2025, 12, 31))
    assert len(captured) == 1
    assert "monthlyfigure" in captured[0]["sql"]
    assert "dailyfigure" not in captured[0]["sql"]
    with CaptureQueriesContext(connection) as captured:
        figures_period_sums(ids, dt.date(2020, 1, 15), dt.date(2025, 12, 3))
    assert len(captured) == 1  # whole months, and the two edges' days, in one UNION ALL
    assert captured[0]["sql"].count("dailyfigure") >= 2


def test_the_migration_fills_the_roll_up_from_the_daily_figures(regency):
    """Migration 0012's INSERT ... SELECT (per database: date_trunc or date(..., 'start of
    month')) gives the same roll-up as the services kept."""
    import importlib
    from types import SimpleNamespace

    from django.db import connection

    from aduan.complaints.models import MonthlyFigure

    fill = importlib.import_module("aduan.complaints.migrations.0012_monthly_figures").fill
    filled = MonthlyFigure.objects.filter(dimension__in=["status", "deadline"])  # 0013: others
    kept = sorted(filled.exclude(count=0, settled=0).values_list(
        "office_id", "month", "dimension", "key", "count", "settled"))
    assert kept
    filled.delete()

    fill(None, SimpleNamespace(connection=connection))  # the schema editor's one attribute used
    assert sorted(filled.values_list(
        "office_id", "month", "dimension", "key", "count", "settled")) == kept
    assert months_differences() == []


def _reference_counts(ids, period, as_of):  # type: ignore[no-untyped-def]
    """Per office (received, settled, on time, late, overdue): the daily figures alone and a
    live count of the open cases past their due date."""
    out = {pk: [0, 0, 0, 0, 0] for pk in ids}
    for office_id, dimension, key, n, settled in _daily_sums(ids, period.start, period.end):
        if dimension == "status":
            out[office_id][0] += n
            out[office_id][1] += settled
        elif key in ("on_time", "late"):
            out[office_id][2 if key == "on_time" else 3] += n
    for office_id, n in (Complaint.objects.filter(
            office_id__in=ids, due_on__lt=as_of, received_on__gte=period.start,
            received_on__lte=period.end, status__in=OPEN_STATUS_VALUES)
            .values("office_id").annotate(n=Count("id")).values_list("office_id", "n")):
        out[office_id][4] = n
    return {pk: tuple(v) for pk, v in out.items()}


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.dates(dt.date(2024, 10, 1), dt.date(2025, 9, 30)),
       days=st.integers(0, 400), as_of=st.dates(dt.date(2025, 1, 1), dt.date(2025, 9, 30)))
def test_the_counts_statement_equals_the_days_and_the_live_overdue(regency, start, days, as_of):
    """`_count_offices`' one statement (roll-up months, edge days, open overdue cases) gives
    each office what the daily figures and a live count of its cases give, for any period;
    without a day to judge overdue by it counts none."""
    ids = list(Office.objects.values_list("pk", flat=True))
    period = Period(start, start + dt.timedelta(days=days))
    rows = {pk: Figures(str(pk), "", office_id=pk) for pk in ids}
    _count_offices(rows, period, as_of=as_of)
    assert {pk: (r.total, r.settled, r.on_time, r.late, r.overdue) for pk, r in rows.items()
            } == _reference_counts(ids, period, as_of)
    rows = {pk: Figures(str(pk), "", office_id=pk) for pk in ids}
    _count_offices(rows, period, as_of=None)
    assert all(r.overdue == 0 for r in rows.values())


@given(start=st.dates(dt.date(2000, 1, 1), dt.date(2099, 1, 1)), days=st.integers(-3, 800))
def test_a_periods_parts_cover_its_days_once(start, days):
    end = start + dt.timedelta(days=days)
    months, edges = period_parts(start, end)
    covered = [lo + dt.timedelta(days=i) for lo, hi in edges for i in range((hi - lo).days + 1)]
    if months is not None:
        first, stop = months
        assert first.day == 1 and stop.day == 1 and first < stop
        covered += [first + dt.timedelta(days=i) for i in range((stop - first).days)]
    assert sorted(covered) == [start + dt.timedelta(days=i) for i in range(days + 1)]
    assert len(edges) <= 2 and all(lo.month == hi.month or months is None for lo, hi in edges)
