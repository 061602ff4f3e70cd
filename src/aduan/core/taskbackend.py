"""django-tasks-db's database backend, writing its task row the fast way.

A web submission queues one delivery task in its own transaction (the outbox row and its task
commit together). The library writes the row with `DBTaskResult.objects.create()`; under load
that was an eighth of a submission's CPU, most of it the ORM building the INSERT, and it runs
while SQLite's write lock is held (docs/decisions/0008-sqlite-writer-queue.md). This subclass
writes the same row through `core.fastinsert`; validation, ids, the `task_enqueued` signal and
the result object stay the library's. The library also built the result object twice per task
(for the signal and for the caller; each build imports the task by path and copies it): here
once, the same object for both.
"""

from __future__ import annotations

from typing import Any

import django_tasks_db
from django_tasks_db.backend import normalize_json
from django_tasks_db.compat import task_enqueued

from aduan.core.fastinsert import insert


class DatabaseBackend(django_tasks_db.DatabaseBackend):
    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        self.validate_task(task)
        result = self._task_to_db_task(task, args, kwargs).task_result
        task_enqueued.send(type(self), task_result=result)
        return result

    def _task_to_db_task(self, task: Any, args: Any, kwargs: Any) -> Any:
        from django_tasks_db.models import DBTaskResult, get_date_max

        return insert(DBTaskResult(
            id=self._get_id(),
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            # What the library's pre_save receiver does (fastinsert sends no signals).
            run_after=task.run_after if task.run_after is not None else get_date_max(),
            backend_name=self.alias,
        ))
