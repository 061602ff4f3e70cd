"""The task backend writes the same task row as django-tasks-db's own."""

from __future__ import annotations

import pytest
from django_tasks_db import DatabaseBackend as LibraryBackend
from django_tasks_db.models import DBTaskResult

from aduan.core.taskbackend import DatabaseBackend
from aduan.notifications.tasks import deliver_outbox_message

pytestmark = pytest.mark.django_db

COMPARED = ("status", "args_kwargs", "priority", "task_path", "queue_name", "backend_name",
            "run_after", "worker_ids", "started_at", "finished_at")


def _row(backend_class: type, task) -> DBTaskResult:  # type: ignore[no-untyped-def]
    backend = backend_class("default", {"QUEUES": ["default"]})
    result = backend.enqueue(task, [41], {})
    return DBTaskResult.objects.get(pk=result.id)


def test_the_row_matches_the_librarys():
    task = deliver_outbox_message
    ours, theirs = _row(DatabaseBackend, task), _row(LibraryBackend, task)
    assert {f: getattr(ours, f) for f in COMPARED} == {f: getattr(theirs, f) for f in COMPARED}
    assert ours.enqueued_at is not None
    assert ours.task_result.status == theirs.task_result.status


def test_the_result_is_built_once_for_the_signal_and_the_caller():
    from django_tasks_db.compat import task_enqueued

    sent = []

    def receiver(sender, task_result, **kwargs):  # type: ignore[no-untyped-def]
        sent.append(task_result)

    task_enqueued.connect(receiver)
    try:
        backend = DatabaseBackend("default", {"QUEUES": ["default"]})
        result = backend.enqueue(deliver_outbox_message, [41], {})
    finally:
        task_enqueued.disconnect(receiver)
    assert sent == [result] and sent[0] is result
    assert DBTaskResult.objects.filter(pk=result.id).exists()


def test_the_result_equals_the_librarys_without_importing_the_task_again(monkeypatch):
    backend = DatabaseBackend("default", {"QUEUES": ["default"]})
    theirs = LibraryBackend("default", {"QUEUES": ["default"]}).enqueue(
        deliver_outbox_message, [41], {})

    def imported(self):  # type: ignore[no-untyped-def]
        raise AssertionError("the task imported by its path")

    monkeypatch.setattr(DBTaskResult, "task", property(imported))
    ours = backend.enqueue(deliver_outbox_message, [41], {})
    assert ours.task == theirs.task == deliver_outbox_message
    assert (ours.status, ours.args, ours.kwargs, ours.backend, ours.errors, ours.worker_ids) == (
        theirs.status, theirs.args, theirs.kwargs, theirs.backend, theirs.errors,
        theirs.worker_ids)
    assert DBTaskResult.objects.filter(pk=ours.id).exists() and ours.enqueued_at is not None


def test_a_task_is_validated_once_per_backend_unless_deferred(monkeypatch):
    import copy
    import datetime as dt

    from django.utils import timezone
    from django_tasks.backends import base

    inspected = []
    real = base.get_func_args
    monkeypatch.setattr(base, "get_func_args",
                        lambda func: inspected.append(func) or real(func))
    backend = DatabaseBackend("default", {"QUEUES": ["default"]})
    for _ in range(3):
        backend.enqueue(deliver_outbox_message, [41], {})
    assert len(inspected) == 1
    # (Not through using(): the tests' configured backend, immediate, refuses run_after.)
    later = copy.copy(deliver_outbox_message)
    object.__setattr__(later, "run_after", timezone.now() + dt.timedelta(hours=1))
    backend.enqueue(later, [41], {})
    backend.enqueue(later, [41], {})
    assert len(inspected) == 3  # a deferred task is checked each time (the set stays bounded)
    assert not backend._validated - {deliver_outbox_message}
