"""The aggregations over the 32 demo complaints give the seed report's figures (SPEC §7)."""

import datetime as dt

import pytest

from aduan.offices.models import Office
from aduan.reports import selectors
from aduan.reports.selectors import Period

pytestmark = pytest.mark.django_db

SEMESTER = Period.semester(2025, 1)


@pytest.fixture
def demo_office(demo) -> Office:
    return demo


def test_tabel_1_lists_every_report_channel_in_order_with_zeros(demo_office):
    rows = selectors.complaint_counts_by_channel(demo_office, SEMESTER, in_report_only=True)
    assert [(r.key, r.count) for r in rows] == [
        ("kotak_pengaduan", 0), ("meja_pengaduan", 2), ("website", 3), ("email_kantor", 0),
        ("email_pengaduan", 0), ("instagram", 0), ("telepon_kantor", 0), ("sms_wa", 26),
        ("media_online", 0), ("sp4n_lapor", 1)]


def test_all_channels_include_surat_and_facebook_with_zero(demo_office):
    rows = selectors.complaint_counts_by_channel(demo_office, SEMESTER)
    assert {r.key: r.count for r in rows}["facebook"] == 0
    assert sum(r.count for r in rows) == 32


def test_tabel_2_is_computed_from_the_data(demo_office):
    rows = selectors.complaint_counts_settled(demo_office, SEMESTER)
    assert [(r.key, r.count) for r in rows] == [("settled", 31), ("in_process", 1)]


def test_statistics_for_the_semester(demo_office):
    stats = selectors.complaint_statistics(demo_office, SEMESTER, as_of=dt.date(2025, 7, 2))
    assert (stats.total, stats.settled, stats.in_process) == (32, 31, 1)
    assert [r.count for r in stats.by_month] == [7, 3, 7, 6, 7, 2]
    assert stats.by_month[0].label == "Januari 2025"
    assert sum(r.count for r in stats.by_status) == 32
    assert sum(r.count for r in stats.by_unit) == 32
    assert sum(r.count for r in stats.by_service_type) == 32
    # Case 23 (29 April) is still open: its 20 working days ran out before 2 July.
    assert stats.overdue == 1
    assert stats.duration.settled_with_days == 31
    assert stats.duration.median == 1.0
    assert stats.duration.p90 >= stats.duration.median
    assert stats.duration.within_limit == 31
    assert stats.on_time_share == 1.0
    assert stats.followed_up == 32
    assert stats.first_follow_up_median_days is not None
    assert stats.first_follow_up_median_days < 5


def test_overdue_depends_on_the_reference_date(demo_office):
    stats = selectors.complaint_statistics(demo_office, SEMESTER, as_of=dt.date(2025, 5, 1),
                                           with_breakdowns=False)
    assert stats.overdue == 0
    assert stats.by_month == []
    assert sum(r.count for r in stats.by_channel) == 32


def test_periods_filter_by_date_of_receipt(demo_office):
    january = Period.month(2025, 1)
    assert january.end == dt.date(2025, 1, 31)
    stats = selectors.complaint_statistics(demo_office, january, as_of=dt.date(2025, 2, 1))
    assert stats.total == 7
    assert selectors.complaint_statistics(demo_office, Period.semester(2025, 2)).total == 0


def test_percentile_is_nearest_rank():
    hist = [(1, 8), (5, 1), (30, 1)]
    assert selectors._percentile(hist, 0.5) == 1.0
    assert selectors._percentile(hist, 0.9) == 5.0
    assert selectors._percentile(hist, 1.0) == 30.0
    assert selectors._percentile([], 0.9) is None


def test_late_settlements_and_follow_ups_are_counted_once_each(demo_office):
    from aduan.complaints.models import Complaint

    late = Complaint.objects.filter(status="answered").order_by("id").first()
    late.due_on, late.settled_on = late.received_on, late.received_on + dt.timedelta(days=3)
    late.save(update_fields=["due_on", "settled_on"])  # recounts the day's figures
    stats = selectors.complaint_statistics(demo_office, SEMESTER, as_of=dt.date(2025, 7, 2),
                                           with_breakdowns=False)
    assert (stats.settled_on_time, stats.settled_late) == (30, 1)
    assert stats.on_time_share == 30 / 31
    assert stats.followed_up == 32
    by_channel = {r.key: (r.count, r.settled) for r in stats.by_channel}
    assert by_channel["sms_wa"] == (26, 26)
    assert by_channel["meja_pengaduan"] == (2, 1)
    assert {r.key: r.count for r in stats.by_status}["followed_up"] == 1


def test_the_memoised_units_and_channels_follow_an_edit(demo_office):
    from aduan.offices.models import Channel, Unit

    first = selectors.complaint_counts_by_unit(demo_office, SEMESTER)[0]
    unit = Unit.objects.get(office=demo_office, code=first.key)
    unit.name = "Bidang Baru"
    unit.save()  # clears the configuration memo (core/refcache.py)
    assert selectors.complaint_counts_by_unit(demo_office, SEMESTER)[0].label == "Bidang Baru"
    channel = Channel.objects.get(office=demo_office, code="sms_wa")
    channel.name = "WhatsApp"
    channel.save()
    rows = selectors.complaint_counts_by_channel(demo_office, SEMESTER, in_report_only=True)
    assert {r.key: r.label for r in rows}["sms_wa"] == "WhatsApp"


@pytest.fixture
def overdue_office(demo_office) -> Office:
    """The demo office with three more open cases of March 2025, overdue by mid-year."""
    from aduan.complaints.tests.factories import register_complaint

    for day in (3, 4, 5):
        register_complaint(demo_office, received=dt.datetime(
            2025, 3, day, 9, tzinfo=dt.timezone(dt.timedelta(hours=7))))
    return demo_office


@pytest.mark.parametrize("limit", [1, 2, 20])
@pytest.mark.parametrize("as_of", [dt.date(2025, 1, 2), dt.date(2025, 7, 1), dt.date(2026, 1, 1)])
def test_the_overdue_list_carries_the_overdue_count(overdue_office, as_of, limit,
                                                    django_assert_num_queries):
    """The dashboard's one query for the first overdue cases and their number gives the
    separate list and count: none, more than the list, fewer than the list."""
    office = overdue_office
    with django_assert_num_queries(1):
        rows, total = selectors.complaints_open_overdue_first(
            office, as_of=as_of, period=SEMESTER, limit=limit)
    assert total == selectors.complaint_overdue_count(office, SEMESTER, as_of=as_of)
    assert total == 0 if as_of.year == 2025 and as_of.month == 1 else total > 2
    assert [c.pk for c in rows] == [c.pk for c in selectors.complaints_open_overdue(
        office, as_of=as_of, period=SEMESTER)[:limit]]
    assert (selectors.complaint_statistics(office, SEMESTER, as_of=as_of, overdue=total)
            == selectors.complaint_statistics(office, SEMESTER, as_of=as_of))


def _sqlite_plans_without_statistics(run) -> list[tuple[str, str]]:
    """Each statement `run` executes on SQLite, with the plan SQLite gives it when the file
    has no planner statistics (no ANALYZE ever ran: `sqlite_stat1` empty)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone():
            cursor.execute("DELETE FROM sqlite_stat1")
            cursor.execute("ANALYZE sqlite_schema")  # reload the (now empty) statistics
    with CaptureQueriesContext(connection) as queries:
        run()
    plans = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
            plans.append((query["sql"], " ".join(str(row[-1]) for row in cursor.fetchall())))
    return plans


@pytest.mark.parametrize("caller", ["statistics", "dashboard"])
def test_the_overdue_count_reads_the_open_cases_index_without_planner_statistics(
        demo_office, caller):
    """A SQLite file nobody ran ANALYZE on planned the overdue count on the received-on
    index over the whole period (293 ms for five years at 1M cases, against 1 ms on the
    partial index of open cases): the statistics' count (771 ms at 1M, session 9) and the
    dashboard's (session 8) are one statement, which names its index there."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps its planner statistics itself")
    period, as_of = Period(dt.date(2022, 1, 1), dt.date(2026, 12, 6)), dt.date(2026, 12, 6)
    if caller == "statistics":
        plans = _sqlite_plans_without_statistics(
            lambda: selectors.complaint_overdue_count(demo_office, period, as_of=as_of))
    else:
        plans = _sqlite_plans_without_statistics(
            lambda: selectors.complaints_open_overdue_first(demo_office, as_of=as_of,
                                                            period=period, limit=20))
    counts = [plan for sql, plan in plans if "COUNT(*)" in sql.upper()]
    assert counts, plans
    assert all("cmp_open_due" in plan and "cmp_received_on" not in plan for plan in counts), plans

