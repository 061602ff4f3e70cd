"""The monthly roll-up's dashboard dimensions (channel, service type, working days, deadline,
status and UNIT: the status cells per unit) sum to the daily figures for any period, a period of
whole months reads the roll-up alone, and migration 0013 fills them as the services keep them
(issue 18: the desk dashboard's figures at 5M)."""

from __future__ import annotations

import datetime as dt
import importlib
from collections import defaultdict
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aduan.complaints import figures as fig
from aduan.complaints.models import Complaint, DailyFigure, MonthlyFigure

pytestmark = pytest.mark.django_db
NEW = ("channel", "service", "days", "unit")  # the dimensions migration 0013 adds


def _days_folded(office_id: int, start: dt.date, end: dt.date,
                 dimensions: tuple[str, ...]) -> list[tuple]:
    """The reference: every daily figure of the period, folded per month in Python."""
    sums: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for day, dimension, key, unit, n, settled in DailyFigure.objects.filter(
            office_id=office_id, day__gte=start, day__lte=end).values_list(
            "day", "dimension", "key", "unit_id", "count", "settled"):
        for rolled, rolled_key in fig.month_keys(dimension, key, unit):
            if rolled in dimensions:
                cell = sums[(day.replace(day=1), rolled, rolled_key)]
                cell[0] += n
                cell[1] += settled
    return sorted((m, d, k, n, s) for (m, d, k), (n, s) in sums.items() if n or s)


def _span(office_id: int) -> tuple[dt.date, dt.date]:
    days = Complaint.objects.filter(office_id=office_id).values_list("received_on", flat=True)
    return min(days), max(days)


def test_the_demo_has_what_the_roll_up_sums(demo):
    """The examples below mean something: cases over several months, with and without a
    unit, settled with working days and a deadline."""
    first, last = _span(demo.pk)
    assert (last.year, last.month) > (first.year, first.month)
    keys = {(d, k) for d, k in MonthlyFigure.objects.filter(office=demo)
            .values_list("dimension", "key")}
    assert {d for d, _k in keys} == set(fig.ROLLED_UP)
    assert ("unit", "") in keys and any(d == "unit" and k for d, k in keys)


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offset=st.integers(-40, 400), length=st.integers(0, 400),
       dimensions=st.sampled_from([fig.ROLLED_UP, ("unit",), ("status", "days"), ("channel",)]))
def test_office_months_equal_the_days_for_any_period(demo, offset, length, dimensions):
    """Any period (inside a month, across a month's edge, whole months with or without
    partial edges) gives per month what the daily figures alone give."""
    first, _last = _span(demo.pk)
    start = first + dt.timedelta(days=offset)
    end = start + dt.timedelta(days=length)
    assert (fig.figures_office_months(demo.pk, start, end, dimensions)
            == _days_folded(demo.pk, start, end, dimensions))


def test_whole_months_read_the_roll_up_alone_and_edges_their_days(demo):
    first, last = _span(demo.pk)
    start = first.replace(day=1)
    end = fig._next_month(last) - dt.timedelta(days=1)
    with CaptureQueriesContext(connection) as captured:
        whole = fig.figures_office_months(demo.pk, start, end)
    assert len(captured) == 1
    assert "monthlyfigure" in captured[0]["sql"] and "dailyfigure" not in captured[0]["sql"]
    assert whole == _days_folded(demo.pk, start, end, fig.ROLLED_UP)
    with CaptureQueriesContext(connection) as captured:
        fig.figures_office_months(demo.pk, start + dt.timedelta(days=3),
                                  end - dt.timedelta(days=3))
    assert len(captured) == 1  # the whole months and the two edges in one UNION ALL
    assert captured[0]["sql"].count("dailyfigure") == 2


def test_the_unit_dimension_moves_with_a_disposition(demo, demo_users):
    """A case disposed to a unit leaves the month's "" unit cell for the unit's."""
    from aduan.complaints import services
    from aduan.complaints.services import Checklist
    from aduan.complaints.tests.factories import register_complaint

    case = register_complaint(demo)
    services.complaint_verify(complaint_id=case.pk, actor=demo_users["petugas"],
                              checklist=Checklist())
    unit = demo.units.order_by("pk").first()
    month = case.received_on.replace(day=1)

    def unit_cells() -> dict[str, int]:
        return dict(MonthlyFigure.objects.filter(office=demo, month=month, dimension="unit")
                    .values_list("key", "count"))

    before = unit_cells()
    services.complaint_dispose(complaint_id=case.pk, actor=demo_users["ketua"], unit=unit)
    after = unit_cells()
    assert after.get("", 0) == before.get("", 0) - 1
    assert after[str(unit.pk)] == before.get(str(unit.pk), 0) + 1
    assert fig.months_differences(demo.pk) == []


def test_check_reports_a_wrong_roll_up_row_of_a_new_dimension(demo):
    assert fig.months_differences(demo.pk) == []
    MonthlyFigure.objects.filter(office=demo, dimension="unit").exclude(key="").update(
        count=999)
    assert [cell[2] for cell, _stored, _days in fig.months_differences(demo.pk)] \
        and {cell[2] for cell, _stored, _days in fig.months_differences(demo.pk)} == {"unit"}


def test_migration_0013_fills_the_new_dimensions_as_the_services_kept_them(demo):
    migration = importlib.import_module(
        "aduan.complaints.migrations.0013_monthly_figures_dashboard")
    kept = sorted(MonthlyFigure.objects.filter(dimension__in=NEW).exclude(
        count=0, settled=0).values_list("office_id", "month", "dimension", "key", "count",
                                        "settled"))
    assert {row[2] for row in kept} == set(NEW)
    editor = SimpleNamespace(connection=connection)  # the schema editor's one attribute used
    migration.empty(None, editor)
    assert not MonthlyFigure.objects.filter(dimension__in=NEW).exists()
    assert MonthlyFigure.objects.filter(dimension__in=["status", "deadline"]).exists()
    migration.fill(None, editor)
    assert sorted(MonthlyFigure.objects.filter(dimension__in=NEW).values_list(
        "office_id", "month", "dimension", "key", "count", "settled")) == kept
    assert fig.months_differences() == []
