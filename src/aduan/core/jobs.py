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
from django_tasks.base import Task

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
