"""With the database task backend a new case's assist task is written in the case's own
transaction (issue 17): no second write transaction after the submission's commit, and the
task exists if and only if the case does."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from aduan.complaints.tests.factories import register_complaint

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "aduan.core.taskbackend.DatabaseBackend",
                        "QUEUES": ["default"]}}


def test_the_assist_task_row_is_written_with_the_case(office, settings):
    settings.TASKS = DB_TASKS
    with CaptureQueriesContext(connection) as queries:
        complaint = register_complaint(office, received=timezone.now())
    # pytest-django never commits, so a task queued "on commit" would not exist here.
    rows = [r for r in DBTaskResult.objects.all() if r.task_path.endswith("assist_new_case")]
    assert [r.args_kwargs["args"] for r in rows] == [[complaint.pk]]
    inserts = [q["sql"] for q in queries.captured_queries
               if q["sql"].startswith("INSERT") and "dbtaskresult" in q["sql"]]
    assert len(inserts) >= 2  # the receipt's delivery task and the assist task


def test_a_failed_task_insert_does_not_undo_the_case(office, settings, monkeypatch):
    settings.TASKS = DB_TASKS
    from aduan.assist import tasks

    real = tasks.assist_new_case

    class Refusing:
        def get_backend(self):
            return real.get_backend()

        def enqueue(self, *args, **kwargs):
            with connection.cursor() as cursor:  # a database error inside the transaction
                cursor.execute("SELECT * FROM no_such_table_for_this_test")

    monkeypatch.setattr(tasks, "assist_new_case", Refusing())
    complaint = register_complaint(office, received=timezone.now())
    complaint.refresh_from_db()
    assert complaint.register_number
