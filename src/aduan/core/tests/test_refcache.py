"""The per-process configuration memo: one version query, rebuilt when any process changes a
watched table, cleared at once by changes made in this process."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from aduan.complaints.deadlines import limits_for
from aduan.core import refcache
from aduan.offices.calendar import calendar_for_office
from aduan.offices.models import Classification, DeadlinePolicy, Holiday, HolidayKind, Office
from aduan.offices.selectors import office_default


def _other_process_renames(office: Office, name: str) -> None:
    # What another worker's save looks like from here: the row changes, no signal fires.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE offices_office SET name = %s, updated_at = %s WHERE id = %s",
                       [name, dt.datetime(2030, 1, 1, tzinfo=dt.UTC), office.pk])


def test_memoised_reads_cost_one_version_query(office):
    office_default()
    with CaptureQueriesContext(connection) as queries:
        assert office_default().pk == office.pk
    assert len(queries) == 1
    assert queries[0]["sql"].startswith("SELECT (SELECT COUNT(*)")


def test_a_change_by_another_process_is_seen_on_the_next_read(office):
    assert office_default().name == office.name
    _other_process_renames(office, "Dinas Baru")
    assert office_default().name == "Dinas Baru"


def test_other_processes_changes_are_seen_once_the_memo_is_a_second_old(office, settings):
    settings.ADUAN_REFCACHE_SECONDS = 60
    assert office_default().name == office.name
    _other_process_renames(office, "Dinas Baru")
    assert office_default().name == office.name  # trusted for ADUAN_REFCACHE_SECONDS
    settings.ADUAN_REFCACHE_SECONDS = 0  # the time has passed
    assert office_default().name == "Dinas Baru"


def test_a_save_in_this_process_clears_the_memo_at_once(office, settings):
    settings.ADUAN_REFCACHE_SECONDS = 60
    calendar = calendar_for_office(office.pk)
    day = dt.date(2031, 3, 4)  # a Tuesday
    assert calendar.is_working_day(day)
    Holiday.objects.create(office=office, date=day, name="Libur daerah",
                           kind=HolidayKind.REGIONAL)
    assert not calendar_for_office(office.pk).is_working_day(day)


def test_deadline_policy_edits_apply_to_the_next_registration(office):
    assert limits_for(office, Classification.COMPLAINT).settle_days == office.settle_days
    DeadlinePolicy.objects.update_or_create(office=office, classification=Classification.COMPLAINT,
                                            defaults={"settle_days": 5})
    assert limits_for(office, Classification.COMPLAINT).settle_days == 5


def test_a_pinned_request_reads_the_version_once(office):
    with refcache.pinned(), CaptureQueriesContext(connection) as queries:
        office_default()
        calendar_for_office(office.pk)
        limits_for(office, Classification.COMPLAINT)
    version_queries = [q for q in queries if q["sql"].startswith("SELECT (SELECT COUNT(*)")]
    assert len(version_queries) == 1


def test_a_pinned_request_sees_its_own_changes(office):
    with refcache.pinned():
        office_default()
        Office.objects.filter(pk=office.pk).first().save()  # clears (signal) and unpins
        office.refresh_from_db()
        office.name = "Dinas Ganti Nama"
        office.save()
        assert office_default().name == "Dinas Ganti Nama"
