"""Parts of the inbound chaos test (src/aduan/intake/tests/test_chaos.py) that run in the
processes it starts and kills: task backends whose enqueue fails now and then (the IMAP
poller loop is `python -m aduan.intake.testing.chaos_poller`)."""

from __future__ import annotations

import itertools
import os
from typing import Any

from django_tasks_rq import RQBackend

from aduan.core.taskbackend import DatabaseBackend

PROCESS_TASK = "aduan.intake.tasks.process_inbound_message"


_enqueues = itertools.count(1)


def _maybe_fail(task: Any) -> None:
    """Refuse every `CHAOS_ENQUEUE_FAIL_EVERY`-th processing task of this process (the
    first one included), as a Redis that is down or a full disk would."""
    every = int(os.environ.get("CHAOS_ENQUEUE_FAIL_EVERY", "0"))
    if task.module_path == PROCESS_TASK and every and next(_enqueues) % every == 1:
        raise ConnectionError("chaos: the task queue refused this enqueue")


class FlakyDatabaseBackend(DatabaseBackend):
    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        _maybe_fail(task)
        return super().enqueue(task, args, kwargs)


class FlakyRQBackend(RQBackend):
    """RQ on the test's own queue (other runs may share the Redis)."""

    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        _maybe_fail(task)
        queue = os.environ.get("CHAOS_QUEUE", "default")
        return super().enqueue(task.using(queue_name=queue), args, kwargs)
