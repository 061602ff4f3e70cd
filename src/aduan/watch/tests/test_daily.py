"""The daily run: applications move to at risk and late on the office calendar, each change
is logged once, and the complaint team gets one digest a day through the outbox."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from aduan.notifications.models import OutboxChannel, OutboxMessage
from aduan.offices.calendar import calendar_for_office
from aduan.watch.models import ActionKind, PermitApplication, WatchAction, WatchState
from aduan.watch.services import watch_refresh
from aduan.watch.tasks import run_daily_watch
from aduan.watch.tests.conftest import app_row, working_days_ago


def next_working_day(office, day):
    calendar = calendar_for_office(office.pk)
    day += dt.timedelta(days=1)
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


@pytest.mark.django_db
def test_the_daily_run_flags_at_risk_and_late_once_and_tells_the_team(office, users,
                                                                      make_apps):
    today = working_days_ago(office, 0)
    # Izin Apotek: SOP 14 working days. 10 used: on track; one more day each run.
    make_apps(app_row("A-1", complete_on=working_days_ago(office, 10, today=today)),
              app_row("A-2", complete_on=working_days_ago(office, 14, today=today)),
              app_row("A-3", complete_on=working_days_ago(office, 3, today=today)),
              today=today)
    states = dict(PermitApplication.objects.values_list("number", "state"))
    assert states == {"A-1": WatchState.ON_TRACK, "A-2": WatchState.AT_RISK,
                      "A-3": WatchState.ON_TRACK}
    day1 = next_working_day(office, today)
    day2 = next_working_day(office, next_working_day(office, day1))
    result = watch_refresh(office, today=day1)
    # 11/14 (78%) still on track; A-2: 15/14 late.
    assert (result.newly_at_risk, result.newly_late) == (0, 1)
    result = watch_refresh(office, today=day2)
    # 13/14 at risk.
    assert (result.newly_at_risk, result.newly_late) == (1, 0)
    assert dict(PermitApplication.objects.values_list("number", "state")) == {
        "A-1": WatchState.AT_RISK, "A-2": WatchState.LATE, "A-3": WatchState.ON_TRACK}
    # The same day again changes nothing and writes nothing twice.
    again = watch_refresh(office, today=day2)
    assert (again.newly_at_risk, again.newly_late, again.digests) == (0, 0, 0)
    assert WatchAction.objects.filter(kind=ActionKind.FLAGGED_LATE).count() == 1
    assert WatchAction.objects.filter(kind=ActionKind.FLAGGED_AT_RISK).count() == 1
    digests = OutboxMessage.objects.filter(dedupe_key__startswith="watch-digest-")
    team = {u.email for u in users.values() if u.is_complaint_team and u.email}
    assert team and {m.recipient for m in digests} == team
    assert all(m.channel == OutboxChannel.EMAIL for m in digests)
    day1_digest = digests.filter(dedupe_key__contains=day1.isoformat()).first()
    assert "A-2" in day1_digest.body and "Terlambat" in day1_digest.body
    assert "A-1" not in day1_digest.body


@pytest.mark.django_db
def test_the_periodic_task_is_registered_and_runs(office, make_apps, settings):
    assert ("aduan.watch.tasks.run_daily_watch", 3600) in settings.ADUAN_PERIODIC_TASKS
    make_apps(app_row("B-1", complete_on=working_days_ago(office, 20)))
    PermitApplication.objects.update(state=WatchState.ON_TRACK)
    result = run_daily_watch.enqueue()
    assert result.return_value["newly_late"] == 1


@pytest.mark.django_db
def test_a_changed_sop_moves_the_application(office, make_apps):
    make_apps(app_row("C-1", complete_on=working_days_ago(office, 6)))
    app = PermitApplication.objects.get()
    assert app.state == WatchState.ON_TRACK
    app.permit_type.sop_days = 5
    app.permit_type.save()
    watch_refresh(office, today=timezone.localdate())
    app.refresh_from_db()
    assert (app.sop_days, app.state) == (5, WatchState.LATE)


@pytest.mark.django_db
def test_demo_applications_show_late_and_at_risk_at_once(office, users):
    call_command("load_demo_watch", verbosity=0)
    states = set(PermitApplication.objects.filter(office=office).values_list("state", flat=True))
    assert {WatchState.LATE, WatchState.AT_RISK, WatchState.ON_TRACK} <= states
    count = PermitApplication.objects.filter(office=office).count()
    assert count >= 15
    call_command("load_demo_watch", verbosity=0)  # idempotent
    assert PermitApplication.objects.filter(office=office).count() == count
