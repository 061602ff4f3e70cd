"""django-tasks-db's database backend, writing its task row the fast way.

A web submission queues one delivery task in its own transaction (the outbox row and its task
commit together). The library writes the row with `DBTaskResult.objects.create()`; under load
that was an eighth of a submission's CPU, most of it the ORM building the INSERT, and it runs
while SQLite's write lock is held (docs/decisions/0008-sqlite-writer-queue.md). This subclass
writes the same row through `core.fastinsert`; validation, ids, the `task_enqueued` signal and
the result object stay the library's. The library also built the result object twice per task
(for the signal and for the caller; each build imports the task by path and copies it): here
once, the same object for both.

Session 10 (issue 17): the result object is built from the task being queued rather than by the
row's `task_result` (which imports the task by its path and copies it with `Task.using()`, and
the copy validates the task again: inspecting the function's signature); and a task is
validated once per backend and process (`validate_task` inspects the function; a task is a
frozen value, so one that passed passes again). Tasks with a `run_after` are validated every
time, so the set of validated tasks stays bounded (module-level tasks times their priority and
queue variants).
"""

from __future__ import annotations

from typing import Any

import django_tasks_db
from django_tasks_db.backend import TaskResult, normalize_json
from django_tasks_db.compat import TaskResultStatus, task_enqueued
from django_tasks_db.utils import normalize_uuid

from aduan.core.fastinsert import insert


class DatabaseBackend(django_tasks_db.DatabaseBackend):
    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        super().__init__(alias, params)
        self._validated: set[Any] = set()

    def validate_task(self, task: Any) -> None:
        if task.run_after is None and task in self._validated:
            return
        super().validate_task(task)
        if task.run_after is None:
            self._validated.add(task)

    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        self.validate_task(task)
        row = self._task_to_db_task(task, args, kwargs)
        # What `row.task_result` builds, from the task in hand: the library's copy
        # (`task.using(priority, queue_name, run_after, backend)` of the task imported by its
        # path) equals it, as the row was written from this task by this backend.
        if task.backend != self.alias:
            task = task.using(backend=self.alias)
        result = TaskResult(
            db_result=row, task=task, id=normalize_uuid(row.id),
            status=TaskResultStatus[row.status], enqueued_at=row.enqueued_at,
            started_at=row.started_at, last_attempted_at=row.started_at,
            finished_at=row.finished_at, args=row.args_kwargs["args"],
            kwargs=row.args_kwargs["kwargs"], backend=row.backend_name, errors=[],
            worker_ids=row.worker_ids)
        object.__setattr__(result, "_return_value", row.return_value)
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
