"""Outbox tunables, read from settings with defaults (all overridable per deployment)."""

from __future__ import annotations

from django.conf import settings


def max_attempts() -> int:
    return int(getattr(settings, "ADUAN_OUTBOX_MAX_ATTEMPTS", 6))


def backoff_seconds() -> int:
    """First retry delay; each later retry doubles it (60 s, 2, 4, 8, 16 min ...)."""
    return int(getattr(settings, "ADUAN_OUTBOX_BACKOFF_SECONDS", 60))


def backoff_cap_seconds() -> int:
    return int(getattr(settings, "ADUAN_OUTBOX_BACKOFF_CAP_SECONDS", 6 * 60 * 60))


def stuck_after_seconds() -> int:
    """A row "sending" for longer than this lost its worker (killed); it is sent again.
    Must exceed the longest provider call (EMAIL_TIMEOUT, HTTP timeouts)."""
    return int(getattr(settings, "ADUAN_OUTBOX_STUCK_SECONDS", 5 * 60))


def requeue_after_seconds() -> int:
    """A pending row queued longer ago than this without being picked up is queued again."""
    return int(getattr(settings, "ADUAN_OUTBOX_REQUEUE_SECONDS", 2 * 60))


def max_event_age_days() -> int:
    """Events recorded this many days after they happened are history being entered (the demo
    seed, a paper backlog): the reporter is not messaged about them."""
    return int(getattr(settings, "ADUAN_NOTIFY_MAX_EVENT_AGE_DAYS", 3))


def queue_name() -> str:
    return str(getattr(settings, "ADUAN_NOTIFY_QUEUE", "default"))


def reminder_hour() -> int:
    """Local hour (office time zone) from which the day's deadline reminders go out."""
    return int(getattr(settings, "ADUAN_REMINDER_HOUR", 7))
