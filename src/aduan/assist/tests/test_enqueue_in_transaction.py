"""With the database task backend a new case's assist job is written in the case's own
transaction (issue 17): no second write transaction after the submission's commit, and the
task exists if and only if the case does. It shares one task row with the case's other
follow-ups (complaints/notify.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from aduan.assist.hooks import NEW_CASE_JOB
from aduan.complaints.notify import FOLLOW_UPS_JOB
from aduan.complaints.tests.factories import register_complaint
from aduan.core import jobs

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "aduan.core.taskbackend.DatabaseBackend",
                        "QUEUES": ["default"]}}


def test_the_assist_job_is_written_with_the_case(office, settings):
    settings.TASKS = DB_TASKS
    with CaptureQueriesContext(connection) as queries:
        complaint = register_complaint(office, received=timezone.now())
    # pytest-django never commits, so a task queued "on commit" would not exist here.
    rows = [r for r in DBTaskResult.objects.all() if r.task_path.endswith("run_follow_ups")]
    assert len(rows) == 1
    complaint_id, names = rows[0].args_kwargs["args"]
    assert complaint_id == complaint.pk and NEW_CASE_JOB in names
    inserts = [q["sql"] for q in queries.captured_queries
               if q["sql"].startswith("INSERT") and "dbtaskresult" in q["sql"]]
    # The receipt's delivery task and one row for every follow-up (assist, permit links).
    assert len(inserts) == 2
    savepoints = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SAVEPOINT")]
    # complaint_register's transaction (a savepoint inside the test's) and the follow-ups' one.
    assert len(savepoints) == 2


def test_a_failed_task_insert_does_not_undo_the_case(office, settings, monkeypatch):
    settings.TASKS = DB_TASKS
    real = jobs.job(FOLLOW_UPS_JOB)

    class Refusing:
        def get_backend(self):
            return real.get_backend()

        def enqueue(self, *args, **kwargs):
            with connection.cursor() as cursor:  # a database error inside the transaction
                cursor.execute("SELECT * FROM no_such_table_for_this_test")

    monkeypatch.setitem(jobs._tasks, FOLLOW_UPS_JOB, Refusing())
    complaint = register_complaint(office, received=timezone.now())
    complaint.refresh_from_db()
    assert complaint.register_number
    assert complaint.events.filter(kind="received").exists()
    assert not [r for r in DBTaskResult.objects.all() if r.task_path.endswith("run_follow_ups")]
