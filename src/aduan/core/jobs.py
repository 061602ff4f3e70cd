"""Background jobs by name, so a service queues a job without importing the module that runs it.

Imports point one way: an app's `tasks.py` imports its services (a task's body calls a service),
never the reverse. The service names the job it needs (a constant in the service module); the
tasks module registers its task under that name with `@provides(NAME)`, and the app imports its
tasks module in `AppConfig.ready()`, so the name resolves in every process, web or worker
(docs/decisions/0010-job-registry.md). An unknown name is a configuration error, raised loudly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend

AnyTask = Task[Any, Any]
T = TypeVar("T", bound=AnyTask)

_tasks: dict[str, AnyTask] = {}


def provides(name: str) -> Callable[[T], T]:
    """Register the decorated task (put it above `@task()`) as the job `name`."""

    def register(task: T) -> T:
        known = _tasks.get(name)
        if known is not None and known.module_path != task.module_path:
            raise ImproperlyConfigured(
                f"job {name!r} is provided twice: {known.module_path} and {task.module_path}")
        _tasks[name] = task  # the same task again (a module reloaded) replaces itself
        return task

    return register


def job(name: str) -> AnyTask:
    """The task registered as `name`."""
    try:
        return _tasks[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"no task provides the job {name!r}: is its app installed, and does its "
            "AppConfig.ready() import its tasks module?") from None


def job_backend(name: str) -> tuple[AnyTask, BaseTaskBackend, bool]:
    """The task registered as `name`, its backend, and whether that backend stores its tasks in
    this database (django-tasks-db, or core.taskbackend's subclass of it). Then a task queued
    inside the caller's transaction commits or rolls back with the caller's rows, so a caller
    writes its row and its task together; with any other backend it queues after the commit
    (an RQ worker must find the row committed). A caller on a hot path queues with
    `backend.enqueue(task, args, kwargs)`: what `task.enqueue(*args)` does, without looking
    the backend up a second time."""
    task = job(name)
    backend = task.get_backend()
    return task, backend, isinstance(backend, DatabaseBackend)


def queues_in_transaction(name: str) -> bool:
    """True when the job `name`'s task rows are written in this database (`job_backend`)."""
    return job_backend(name)[2]
