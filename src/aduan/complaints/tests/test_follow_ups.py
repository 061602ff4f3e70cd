"""A case event's background follow-ups (complaints/notify.py): with the database task queue
the jobs the handlers ask for while a new case is registered are ONE task row, written in the
case's transaction (issue 17: a web submission wrote a row and a savepoint per job); the
worker runs each, and one failing neither stops the others nor goes unnoticed."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from aduan.assist.hooks import NEW_CASE_JOB
from aduan.assist.models import Suggestion
from aduan.complaints import notify
from aduan.complaints.models import CaseEvent, EventKind
from aduan.complaints.tasks import run_follow_ups
from aduan.complaints.tests.factories import register_complaint
from aduan.core import jobs
from aduan.watch.importers import import_rows
from aduan.watch.links import LINK_JOB
from aduan.watch.models import ComplaintLink
from aduan.watch.tests.conftest import app_row

DB_TASKS = {"default": {"BACKEND": "aduan.core.taskbackend.DatabaseBackend", "QUEUES": ["default"]}}


def _follow_up_rows() -> list[DBTaskResult]:
    return [r for r in DBTaskResult.objects.all() if r.task_path.endswith("run_follow_ups")]


@pytest.mark.django_db
def test_a_new_case_queues_its_follow_ups_as_one_task_row(office, settings):
    settings.TASKS = DB_TASKS
    settings.ADUAN_ASSIST_ON_NEW_CASES = True
    complaint = register_complaint(office, received=timezone.now())
    rows = _follow_up_rows()
    assert len(rows) == 1
    assert rows[0].args_kwargs["args"][0] == complaint.pk
    assert sorted(rows[0].args_kwargs["args"][1]) == sorted([NEW_CASE_JOB, LINK_JOB])
    # Besides it only the receipt's delivery task: two rows, not four.
    assert DBTaskResult.objects.count() == 2


@pytest.mark.django_db
def test_a_job_asked_outside_a_dispatch_is_queued_at_once(office, settings):
    settings.TASKS = DB_TASKS
    complaint = register_complaint(office, received=timezone.now())
    DBTaskResult.objects.all().delete()
    event = CaseEvent.objects.get(complaint=complaint, kind=EventKind.RECEIVED)
    notify.follow_up(event, LINK_JOB)
    assert [r.args_kwargs["args"] for r in _follow_up_rows()] == [[complaint.pk, [LINK_JOB]]]


@pytest.mark.django_db
def test_one_failing_follow_up_does_not_stop_the_others_and_fails_the_task(monkeypatch):
    ran = []

    class Job:
        def __init__(self, name, fails):
            self.name, self.fails = name, fails

        def call(self, complaint_id):
            ran.append((self.name, complaint_id))
            if self.fails:
                raise ValueError("boom")
            return 1

    monkeypatch.setitem(jobs._tasks, "test.first", Job("first", fails=True))
    monkeypatch.setitem(jobs._tasks, "test.second", Job("second", fails=False))
    with pytest.raises(RuntimeError, match=r"test\.first"):
        run_follow_ups.func(7, ["test.first", "test.second"])
    assert ran == [("first", 7), ("second", 7)]
    ran.clear()
    assert run_follow_ups.func(8, ["test.second"]) == {"test.second": 1}


@pytest.mark.django_db(transaction=True)  # the worker closes its database connections
def test_the_worker_runs_every_follow_up_of_the_row(office, settings):
    settings.TASKS = DB_TASKS
    settings.ADUAN_ASSIST_ON_NEW_CASES = True
    import_rows(office.pk, [(2, app_row("503/APT/2025/0042", complete_on=None))], source="test")
    complaint = register_complaint(
        office, received=timezone.now(), description="Izin 503/APT/2025/0042 belum terbit."
    )
    assert not ComplaintLink.objects.exists()  # nothing searched before the answer

    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.1, verbosity=0)

    row = _follow_up_rows()[0]
    assert row.status == "SUCCESSFUL"
    assert ComplaintLink.objects.filter(complaint=complaint).count() == 1
    assert Suggestion.objects.filter(complaint=complaint).exists()
    assert set(row.return_value) == {NEW_CASE_JOB, LINK_JOB}
