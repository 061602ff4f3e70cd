"""The one hook from the procedure to outbound messages.

Services call `dispatch(event)` inside their transaction; the notifications app registers a
handler (in its AppConfig.ready) that writes outbox rows in that same transaction, so a message
exists if and only if the event does. Explicit registration instead of Django signals keeps the
dependency visible and ordered (see docs/decisions/0002-case-event-hook.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aduan.complaints.models import CaseEvent

Handler = Callable[..., object]
_handlers: list[Handler] = []


def register(handler: Handler) -> Handler:
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


def dispatch(event: CaseEvent) -> None:
    """Announce `event`, which the caller has just written in its open transaction: handlers
    are called with `fresh=True` (nothing can have been written for it before)."""
    for handler in _handlers:
        handler(event, fresh=True)
