"""The median working days to the first follow-up, converted to working days in the database
from the daily figures, equals the same median weighed pair by pair in Python (the computation
before, kept as `_working_days_histogram`) and the one counted from the cases (`live=True`)."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from aduan.complaints import figures as fig
from aduan.complaints.models import Complaint, DailyFigure
from aduan.offices.models import Office
from aduan.reports import selectors
from aduan.reports.selectors import FOLLOW_UP_SPAN_DAYS, Period

pytestmark = pytest.mark.django_db

# Idul Fitri 2025 (31 March, 1 April), its collective leave (28 March, 2-7 April), Nyepi on a
# Saturday (29 March) and Good Friday (18 April): lags across them differ from weekdays.
PERIOD = Period(dt.date(2025, 3, 1), dt.date(2025, 4, 30))


def _python_histogram(office: Office, period: Period) -> list[tuple[int, int]]:
    """The previous computation: every (day, lag) cell of the period fetched and weighed."""
    cells = DailyFigure.objects.filter(
        office=office, dimension=fig.FOLLOW_UP, day__gte=period.start, day__lte=period.end
    )
    pairs: dict[tuple[dt.date, dt.date], int] = {}
    for day, key, n in cells.values_list("day", "key", "count"):
        pair = (day, day + dt.timedelta(days=int(key)))
        pairs[pair] = pairs.get(pair, 0) + n
    return selectors._working_days_histogram(office, [(a, b, n) for (a, b), n in pairs.items()])


def _write_cells(office: Office, cells: dict[tuple[dt.date, int], int]) -> None:
    DailyFigure.objects.filter(office=office, dimension=fig.FOLLOW_UP).delete()
    DailyFigure.objects.bulk_create(
        DailyFigure(
            office=office, day=day, dimension=fig.FOLLOW_UP, key=str(lag), count=n, settled=0
        )
        for (day, lag), n in cells.items()
    )


def test_the_database_histogram_equals_the_pairs_weighed_in_python(office):
    for seed in range(8):
        rng = random.Random(seed)
        cells: dict[tuple[dt.date, int], int] = {}
        for _ in range(rng.randint(1, 120)):
            day = PERIOD.start + dt.timedelta(days=rng.randint(0, (PERIOD.end - PERIOD.start).days))
            lag = rng.choice(
                [
                    rng.randint(0, 12),
                    rng.randint(0, 40),
                    rng.randint(-3, -1),
                    # after the span the database converts, and before the period
                    FOLLOW_UP_SPAN_DAYS + rng.randint(0, 200),
                    -rng.randint(60, 400),
                ]
            )
            cells[(day, lag)] = cells.get((day, lag), 0) + rng.randint(1, 3)
        _write_cells(office, cells)
        expected = _python_histogram(office, PERIOD)
        assert sum(n for _days, n in expected) == sum(cells.values()), seed
        for period in (PERIOD, Period(dt.date(2025, 3, 20), dt.date(2025, 4, 10))):
            assert selectors._follow_up_histogram(office, period) == _python_histogram(
                office, period
            ), seed
        assert selectors._follow_up_histogram(office, PERIOD) == expected, seed
        assert selectors.complaint_first_follow_up_median(office, PERIOD) == selectors._percentile(
            expected, 0.5
        ), seed


def test_ties_and_an_even_count_take_the_lower_middle_rank(office):
    friday = dt.date(2025, 3, 14)
    # Friday + 3 calendar days is Monday: 1 working day; + 4 is Tuesday: 2; + 0 is 0.
    _write_cells(
        office,
        {(friday, 0): 1, (friday, 3): 1, (friday + dt.timedelta(days=3), 1): 1, (friday, 4): 1},
    )
    assert selectors._follow_up_histogram(office, PERIOD) == [(0, 1), (1, 2), (2, 1)]
    assert selectors.complaint_first_follow_up_median(office, PERIOD) == 1.0
    # Across Idul Fitri: Thursday 27 March to Tuesday 8 April is 1 working day (8 April).
    _write_cells(office, {(dt.date(2025, 3, 27), 12): 2, (friday, -2): 1, (friday, 4): 1})
    assert selectors._follow_up_histogram(office, PERIOD) == [(0, 1), (1, 2), (2, 1)]
    assert selectors.complaint_first_follow_up_median(office, PERIOD) == 1.0


def test_no_follow_up_gives_no_median(office):
    _write_cells(office, {})
    assert selectors._follow_up_histogram(office, PERIOD) == []
    assert selectors.complaint_first_follow_up_median(office, PERIOD) is None


def test_the_figures_median_equals_the_cases_median_across_holidays(demo):
    rng = random.Random(7)
    for case in Complaint.objects.filter(office=demo).order_by("pk"):
        case.received_on = case.due_on = PERIOD.start + dt.timedelta(days=rng.randint(0, 60))
        # Without a follow-up the response, else the settlement, is the first one.
        case.first_follow_up_on = (
            None
            if rng.random() < 0.3
            else case.received_on + dt.timedelta(days=rng.randint(-2, 20))
        )
        for name in ("responded_on", "settled_on"):
            if getattr(case, name) is not None:
                setattr(case, name, case.received_on + dt.timedelta(days=rng.randint(0, 25)))
        case.save(
            update_fields=[
                "received_on",
                "due_on",
                "first_follow_up_on",
                "responded_on",
                "settled_on",
            ]
        )  # recounts the figures of both days
    for period in (
        PERIOD,
        Period(dt.date(2025, 3, 20), dt.date(2025, 4, 10)),
        Period.semester(2025, 1),
    ):
        assert selectors.complaint_first_follow_up_median(
            demo, period
        ) == selectors.complaint_first_follow_up_median(demo, period, live=True), period
        assert selectors._follow_up_histogram(demo, period) == _python_histogram(demo, period)
