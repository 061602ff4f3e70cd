"""The one hook from the procedure to outbound messages and background follow-ups.

Services call `dispatch(event)` inside their transaction; the notifications app registers a
handler (in its AppConfig.ready) that writes outbox rows in that same transaction, so a message
exists if and only if the event does. Explicit registration instead of Django signals keeps the
dependency visible and ordered (see docs/decisions/0002-case-event-hook.md).

A handler that wants background work for the event's case (a new case's suggestions, its permit
links) asks for it with `follow_up(event, JOB)` when the task queue is this database: the jobs
asked for during one dispatch go into ONE task row (FOLLOW_UPS_JOB, complaints/tasks.py), written
in the case's transaction behind one savepoint, instead of one row and one savepoint per handler
(a web submission's registration wrote three task rows; issue 17).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django.db import transaction

if TYPE_CHECKING:
    from aduan.complaints.models import CaseEvent

Handler = Callable[..., object]
_handlers: list[Handler] = []
# The follow-up jobs asked for during the dispatch under way (None outside a dispatch).
_asked: ContextVar[list[str] | None] = ContextVar("aduan_follow_ups", default=None)

# The task that runs a case's follow-up jobs in the worker, one after the other.
FOLLOW_UPS_JOB = "complaints.follow_ups"

logger = logging.getLogger(__name__)


def register(handler: Handler) -> Handler:
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


def dispatch(event: CaseEvent) -> None:
    """Announce `event`, which the caller has just written in its open transaction: handlers
    are called with `fresh=True` (nothing can have been written for it before). The follow-up
    jobs they ask for are queued together, in this transaction, as one task."""
    asked: list[str] = []
    token = _asked.set(asked)
    try:
        for handler in _handlers:
            handler(event, fresh=True)
    finally:
        _asked.reset(token)
    if asked:
        _queue(event.complaint_id, asked)


def follow_up(event: CaseEvent, job: str) -> None:
    """Run the background job `job` (core/jobs.py; it takes the complaint's id) for the
    event's case. Only for a task queue in this database (the row commits with the case);
    inside a dispatch it joins the dispatch's one task, outside it is queued now on its own."""
    asked = _asked.get()
    if asked is None:
        _queue(event.complaint_id, [job])
    elif job not in asked:
        asked.append(job)


def _queue(complaint_id: int, jobs_asked: list[str]) -> None:
    from aduan.core import jobs

    try:
        # Behind a savepoint: a failed insert must not abort the case's registration (it is
        # logged, as each handler's own savepoint did before).
        with transaction.atomic():
            jobs.job(FOLLOW_UPS_JOB).enqueue(complaint_id, jobs_asked)
    except Exception:
        logger.exception("could not queue %s for complaint %s", jobs_asked, complaint_id)
