"""The pre-aggregated daily figures (complaints/figures.py) stay equal to the live counts after
any sequence of service calls, and every report figure read from them equals the same figure
counted from the cases (`live=True`, the reference)."""

from __future__ import annotations

import contextlib
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aduan.complaints import services
from aduan.complaints.figures import figures_differences, figures_rebuild, months_differences
from aduan.complaints.models import Complaint, DailyFigure, MonthlyFigure
from aduan.complaints.services import Checklist
from aduan.complaints.tests.factories import register_complaint
from aduan.core.exceptions import ApplicationError
from aduan.reports import selectors
from aduan.reports.selectors import Period

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")
BASE = dt.datetime(2025, 3, 3, 9, tzinfo=JAKARTA)
CHANNELS = ["sms_wa", "website", "meja_pengaduan"]
ACTIONS = ["verify", "dispose_a", "dispose_b", "answer", "follow_up", "respond", "close",
           "withdraw", "reopen", "refer", "request_completion", "complete", "conclude"]


def _act(action: str, pk: int, at: dt.datetime, who: dict) -> None:
    office = who["office"]
    calls = {
        "verify": lambda: services.complaint_verify(
            complaint_id=pk, actor=who["petugas"], checklist=Checklist(), at=at),
        "dispose_a": lambda: services.complaint_dispose(
            complaint_id=pk, actor=who["ketua"], unit=office.units.get(code="perizinan-a"),
            at=at),
        "dispose_b": lambda: services.complaint_dispose(
            complaint_id=pk, actor=who["ketua"], unit=office.units.get(code="perizinan-b"),
            at=at),
        "answer": lambda: services.complaint_answer(
            complaint_id=pk, actor=who["petugas"], answer="Jawaban.", at=at),
        "follow_up": lambda: services.complaint_follow_up(
            complaint_id=pk, actor=who["perizinan_a"], note="Ditindaklanjuti.", at=at),
        "respond": lambda: services.complaint_respond(
            complaint_id=pk, actor=who["petugas"], response="Tanggapan.", at=at),
        "close": lambda: services.complaint_close(complaint_id=pk, actor=who["petugas"], at=at),
        "withdraw": lambda: services.complaint_withdraw(
            complaint_id=pk, actor=who["petugas"], at=at),
        "reopen": lambda: services.complaint_reopen(
            complaint_id=pk, actor=who["petugas"], reason="Belum tuntas.", at=at),
        "refer": lambda: services.complaint_refer(
            complaint_id=pk, actor=who["petugas"], agency=office.agencies.first(),
            reply="Silakan ke instansi itu.", at=at),
        "request_completion": lambda: services.complaint_request_completion(
            complaint_id=pk, actor=who["petugas"], note="Lengkapi KTP.", at=at),
        "complete": lambda: services.complaint_complete(
            complaint_id=pk, actor=who["petugas"], note="Sudah lengkap.", at=at),
        "conclude": lambda: services.complaint_conclude(
            complaint_id=pk, actor=who["ketua"], proven=True, conclusion="Terbukti.", at=at),
    }
    with contextlib.suppress(ApplicationError):  # not allowed now or for this role: no change
        calls[action]()


def _assert_figures_match(office) -> None:
    assert figures_differences(office.pk) == []
    assert months_differences(office.pk) == []  # the monthly roll-up sums the days
    for period, as_of in [(Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
                           dt.date(2025, 4, 30)),
                          (Period(dt.date(2025, 3, 4), dt.date(2025, 3, 6)), None)]:
        fast = selectors.complaint_statistics(office, period, as_of=as_of)
        live = selectors.complaint_statistics(office, period, as_of=as_of, live=True)
        assert fast == live
        # Without the follow-ups' histogram (the semester report) the count is summed apart.
        lean = {"with_breakdowns": False, "with_follow_up": False}
        assert (selectors.complaint_statistics(office, period, as_of=as_of, **lean)
                == selectors.complaint_statistics(office, period, as_of=as_of, live=True,
                                                  **lean))
        for name in ("channel", "month", "status", "unit", "service_type"):
            fn = getattr(selectors, f"complaint_counts_by_{name}")
            assert fn(office, period) == fn(office, period, live=True), name
        assert (selectors.complaint_counts_settled(office, period)
                == selectors.complaint_counts_settled(office, period, live=True))
        assert (selectors.complaint_settle_durations(office, period)
                == selectors.complaint_settle_durations(office, period, live=True))


@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(
    st.one_of(
        st.tuples(st.just("register"), st.integers(0, 4), st.sampled_from(CHANNELS),
                  st.sampled_from([None, "izin-apotek"])),
        st.tuples(st.sampled_from(ACTIONS), st.integers(0, 20), st.integers(0, 40))),
    min_size=1, max_size=14))
def test_figures_equal_live_counts_after_any_service_sequence(users, office, steps):
    who = {**users, "office": office}
    service_types = {s.code: s for s in office.service_types.all()}
    for step in steps:
        if step[0] == "register":
            _kind, day, channel, service = step
            register_complaint(office, received=BASE + dt.timedelta(days=day),
                               channel_code=channel, service_type=service_types.get(service))
            continue
        action, index, days_later = step
        cases = list(Complaint.objects.filter(office=office).order_by("pk")
                     .values_list("pk", "received_at"))
        if not cases:
            continue
        pk, received = cases[index % len(cases)]
        _act(action, pk, received + dt.timedelta(days=days_later, hours=1), who)
    _assert_figures_match(office)


def test_rebuild_command_restores_lost_figures(users, office, officer):
    for day in range(3):
        case = register_complaint(office, received=BASE + dt.timedelta(days=day))
    services.complaint_answer(complaint_id=case.pk, actor=officer, answer="Jawaban.")
    assert DailyFigure.objects.filter(office=office).exists()
    expected = sorted(DailyFigure.objects.values_list("day", "dimension", "key", "unit_id",
                                                      "count", "settled"))
    # A bulk load or a bad restore leaves the figures wrong: `--check` says so, rebuild fixes.
    DailyFigure.objects.filter(office=office, dimension="status").update(count=99)
    with pytest.raises(Exception, match="differ"):
        call_command("rebuild_daily_figures", "--check")
    call_command("rebuild_daily_figures")
    assert sorted(DailyFigure.objects.values_list("day", "dimension", "key", "unit_id",
                                                  "count", "settled")) == expected
    call_command("rebuild_daily_figures", "--check")
    assert figures_rebuild(office.pk) == len(expected)
    # The same for the monthly roll-up: `--check` compares it with the days, rebuild fixes it.
    months = sorted(MonthlyFigure.objects.values_list("month", "dimension", "key", "count",
                                                      "settled"))
    march = dt.date(2025, 3, 1)
    channel = str(Complaint.objects.values_list("channel_id", flat=True).first())
    days = Complaint.objects.get(pk=case.pk).working_days_taken  # answered today
    assert months == [(march, "channel", channel, 3, 1),
                      (march, "days", str(days), 1, 1),
                      (march, "deadline", "late", 1, 1),
                      (march, "service", "", 3, 1),  # no service type
                      (march, "status", "answered", 1, 1),
                      (march, "status", "received", 2, 0),
                      (march, "unit", "", 3, 1)]  # not yet with a unit
    MonthlyFigure.objects.filter(office=office, key="received").update(count=7)
    with pytest.raises(Exception, match="differ"):
        call_command("rebuild_daily_figures", "--check")
    call_command("rebuild_daily_figures", "--office", office.code)
    assert sorted(MonthlyFigure.objects.values_list("month", "dimension", "key", "count",
                                                    "settled")) == months


def test_figures_follow_a_changed_date_of_receipt_and_a_deletion(users, office):
    case = register_complaint(office, received=BASE)
    other_day = BASE + dt.timedelta(days=5)
    case.received_at, case.received_on = other_day, other_day.date()
    case.due_on = case.due_on + dt.timedelta(days=5)
    case.save()
    assert not DailyFigure.objects.filter(day=BASE.date()).exists()
    assert DailyFigure.objects.filter(day=other_day.date(), dimension="status").get().count == 1
    assert figures_differences(office.pk) == [] and months_differences(office.pk) == []


def test_a_save_that_changes_no_counted_field_recomputes_nothing(
        users, office, django_assert_num_queries):
    case = register_complaint(office, received=BASE)
    case.subject = "Perihal baru"
    with django_assert_num_queries(1):  # the UPDATE only
        case.save(update_fields=["subject"])


def test_a_new_case_is_counted_by_increment_whatever_its_day_already_holds(
        users, office, django_assert_num_queries):
    """Registering adds to the day's cells instead of recomputing the day from its cases: the
    queries of a registration do not grow with the cases received that day (a crowd on one day
    made every submission read all of them), and the figures stay equal to the live counts,
    one row per cell."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def registration_queries() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            register_complaint(office, received=BASE)
        return [q["sql"] for q in captured.captured_queries if "dailyfigure" in q["sql"]]

    first = registration_queries()  # the day's cells are new: update misses, then insert
    assert any(sql.startswith("INSERT") for sql in first)
    later = [registration_queries() for _ in range(5)][-1]
    assert later and all(sql.startswith("UPDATE") for sql in later)
    assert not any("complaints_complaint" in sql for sql in later)
    assert figures_differences(office.pk) == []
    status_rows = DailyFigure.objects.filter(office=office, day=BASE.date(), dimension="status")
    assert [(row.key, row.count) for row in status_rows] == [("received", 6)]


def test_a_registration_updates_its_existing_cells_in_one_statement_and_inserts_new_ones(
        users, office):
    """The status, channel and service cells of a new case are incremented by one UPDATE
    (issue 17: three before); a cell its day does not hold yet (a second channel that day) is
    inserted beside it, and every count stays the live one, also after a rebuild check."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    register_complaint(office, received=BASE, channel_code="sms_wa")
    with CaptureQueriesContext(connection) as captured:
        register_complaint(office, received=BASE, channel_code="website")
    daily = [q["sql"] for q in captured.captured_queries if "dailyfigure" in q["sql"]]
    assert [sql.split()[0] for sql in daily] == ["UPDATE", "INSERT"]  # only the new channel
    assert "RETURNING" in daily[0]
    with CaptureQueriesContext(connection) as captured:
        register_complaint(office, received=BASE, channel_code="website")
    daily = [q["sql"] for q in captured.captured_queries if "dailyfigure" in q["sql"]]
    assert len(daily) == 1 and daily[0].startswith("UPDATE")
    assert figures_differences(office.pk) == []
    assert months_differences(office.pk) == []
    channels = {row.key: row.count for row in DailyFigure.objects.filter(
        office=office, day=BASE.date(), dimension="channel")}
    assert sorted(channels.values()) == [1, 2]
    assert [(row.key, row.count) for row in DailyFigure.objects.filter(
        office=office, day=BASE.date(), dimension="status")] == [("received", 3)]
    call_command("rebuild_daily_figures", "--check")
