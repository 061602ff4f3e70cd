"""The regency figures against the hand-computed three offices of conftest.py."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aduan.complaints.figures import figures_differences
from aduan.ikm.selectors import service_rating_ikm
from aduan.oversight.selectors import office_unit_figures, regency_figures
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
