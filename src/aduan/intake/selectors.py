"""Read paths of the inbound channels: the officers' review list, LAPOR! cases, and the
channel address a reply to a case should use."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from aduan.accounts.models import User
from aduan.complaints.access import complaints_visible_to
from aduan.complaints.models import Complaint, IdentityAccess
from aduan.core.exceptions import NotFound
from aduan.core.masking import mask_email, mask_phone
from aduan.intake.models import (
    Conversation,
    InboundMessage,
    MediaFetch,
    MediaFetchStatus,
    ParseStatus,
)
from aduan.offices.models import ChannelKind


def inbound_list_for_review(user: User) -> QuerySet[InboundMessage]:
    """Messages an officer must look at: not placed on a case, or placed with an error
    (e.g. a refused attachment). Complaint team only."""
    if not user.is_authenticated or not user.is_complaint_team:
        return InboundMessage.objects.none()
    return (InboundMessage.objects
            .filter(Q(office_id=user.office_id) | Q(office__isnull=True))
            .filter(Q(parse_status=ParseStatus.NEEDS_REVIEW)
                    | (Q(parse_status__in=[ParseStatus.CREATED, ParseStatus.JOINED])
                       & ~Q(error="")))
            .select_related("complaint")
            .defer("raw")
            .order_by("-received_at", "-id"))


def inbound_masked_sender(message: InboundMessage) -> str:
    """The sender as lists show it (SPEC §6): `0812-3456-xxxx`, `wa***@example.id`."""
    if "@" in message.sender:
        return mask_email(message.sender)
    return mask_phone(message.sender)


def inbound_get_for_review(user: User, message_id: int) -> InboundMessage:
    """One inbound message in full, for the complaint team. Opening a message that belongs to
    a case shows its reporter's contact, so the view is logged like any identity view."""
    if not user.is_authenticated or not user.is_complaint_team:
        raise NotFound()
    message = (InboundMessage.objects.select_related("complaint", "resolved_by")
               .filter(Q(office_id=user.office_id) | Q(office__isnull=True), pk=message_id)
               .first())
    if message is None:
        raise NotFound()
    if message.complaint is not None and message.sender:
        IdentityAccess.objects.create(reporter_id=message.complaint.reporter_id,
                                      complaint=message.complaint, user=user,
                                      purpose="inbound message review")
    return message


def lapor_complaint_list(user: User) -> QuerySet[Complaint]:
    """Cases that came from SP4N-LAPOR!, with their LAPOR! limits, newest first."""
    return (complaints_visible_to(user)
            .filter(Q(channel__kind=ChannelKind.LAPOR) | ~Q(lapor_tracking_id=""))
            .select_related("channel", "unit")
            .order_by("-received_at", "-id"))


def conversation_for_complaint(complaint: Complaint) -> Conversation | None:
    """The open conversation (channel kind and address) a case's replies go back on; the
    latest one when the reporter wrote from several (SPEC §2)."""
    return (Conversation.objects.filter(complaint=complaint, is_open=True)
            .order_by("-last_message_at", "-id").first())


def media_fetches_for_complaint(complaint: Complaint) -> list[MediaFetch]:
    """The case's pending and failed channel attachments, for the case page (fetched ones
    are ordinary attachments by then)."""
    return list(MediaFetch.objects.filter(complaint=complaint)
                .exclude(status=MediaFetchStatus.FETCHED).order_by("created_at", "id"))
