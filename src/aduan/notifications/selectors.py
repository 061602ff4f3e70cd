"""Read paths of the outbox."""

from __future__ import annotations

from aduan.complaints.models import Complaint
from aduan.notifications.models import OutboxMessage


def outbox_for_complaint(complaint: Complaint) -> list[OutboxMessage]:
    """The case's outbound messages, oldest first, for the case page (channel, status,
    attempts, last_error). Recipients are contact data: show them masked to staff."""
    return list(
        OutboxMessage.objects.filter(complaint=complaint)
        .select_related("case_event")
        .order_by("created_at", "id")
    )
