"""Read paths of the outbox."""

from __future__ import annotations

from aduan.complaints.models import Complaint
from aduan.notifications.models import OutboxMessage, OutboxStatus


def outbox_for_complaint(complaint: Complaint) -> list[OutboxMessage]:
    """The case's outbound messages, oldest first, for the case page (channel, status,
    attempts, last_error). Recipients are contact data: show them masked to staff."""
    return list(
        OutboxMessage.objects.filter(complaint=complaint)
        .select_related("case_event")
        .order_by("created_at", "id")
    )


def outbox_alerts_for_complaint(complaint: Complaint) -> list[OutboxMessage]:
    """The reporter's messages that failed on every channel we have for them: an officer
    must reach the reporter another way (shown at the top of the case page)."""
    return list(
        OutboxMessage.objects.filter(
            complaint=complaint, status=OutboxStatus.FAILED, data__officer_alert=True
        ).order_by("created_at", "id")
    )


def outbox_and_alerts_for_complaint(
        complaint: Complaint) -> tuple[list[OutboxMessage], list[OutboxMessage]]:
    """`outbox_for_complaint` and `outbox_alerts_for_complaint` from one read (the case page
    shows both; the alerts are a part of the outbox)."""
    messages = list(OutboxMessage.objects.filter(complaint=complaint).order_by("created_at", "id"))
    return messages, [m for m in messages if m.status == OutboxStatus.FAILED
                      and isinstance(m.data, dict) and m.data.get("officer_alert") is True]
