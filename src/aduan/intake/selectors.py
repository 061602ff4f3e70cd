"""Read paths of the inbound channels: the officers' review list, LAPOR! cases, and the
channel address a reply to a case should use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from aduan.accounts.models import User
from aduan.complaints.access import complaints_visible_to
from aduan.complaints.models import Complaint, IdentityAccess
from aduan.core.exceptions import NotFound
from aduan.core.masking import mask_email, mask_phone
from aduan.intake.models import (
    Conversation,
    InboundMessage,
    LaporImportJob,
    MediaFetch,
    MediaFetchStatus,
    ParseStatus,
)
from aduan.offices.models import ChannelKind

# States an officer may have to act on; RECEIVED only once it is stuck.
REVIEW_STATES = (ParseStatus.NEEDS_REVIEW, ParseStatus.QUARANTINED, ParseStatus.FAILED)
BACKLOG_STATES = (ParseStatus.RECEIVED, *REVIEW_STATES)


def _stuck_before() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.ADUAN_INBOUND_STUCK_SECONDS)


def inbound_visible_to(user: User | AnonymousUser) -> QuerySet[InboundMessage]:
    """The inbound messages a member of the complaint team may open or act on: those of the
    office they work in, and those no office could be told for (issue 18: another office's
    messages are not found, as its cases are not)."""
    if not user.is_authenticated or not user.is_complaint_team or user.office_id is None:
        return InboundMessage.objects.none()
    return InboundMessage.objects.filter(Q(office_id=user.office_id) | Q(office__isnull=True))


def inbound_list_for_review(user: User | AnonymousUser) -> QuerySet[InboundMessage]:
    """Messages an officer must look at: quarantined (unreadable), failed, stuck (still
    unprocessed after `ADUAN_INBOUND_STUCK_SECONDS`), not placed on a case, or placed with an
    error (e.g. a refused attachment). Complaint team only."""
    return (inbound_visible_to(user)
            .filter(Q(parse_status__in=REVIEW_STATES)
                    | Q(parse_status=ParseStatus.RECEIVED, received_at__lte=_stuck_before())
                    | (Q(parse_status__in=[ParseStatus.CREATED, ParseStatus.JOINED])
                       & ~Q(error="")))
            .select_related("complaint")
            .defer("raw")
            .order_by("-received_at", "-id"))


def inbound_is_actionable(message: InboundMessage) -> bool:
    """Whether an officer may retry, register or close the item: in review, quarantined,
    failed, or stuck (still RECEIVED after the stuck age)."""
    if message.parse_status == ParseStatus.RECEIVED:
        return message.received_at <= _stuck_before()
    return message.parse_status in REVIEW_STATES


@dataclass(frozen=True)
class InboundBacklog:
    """What waits in the inbound pipeline: rows per open state, the stuck ones, and the age
    of the oldest item not processed yet (RECEIVED or FAILED)."""

    counts: dict[str, int]
    stuck: int
    oldest_unprocessed_at: dt.datetime | None
    oldest_unprocessed_seconds: float | None

    @property
    def unprocessed(self) -> int:
        return self.counts[ParseStatus.RECEIVED] + self.counts[ParseStatus.FAILED]

    @property
    def for_review(self) -> int:
        """Items waiting for an officer: quarantined, failed, needing review, stuck."""
        return (self.counts[ParseStatus.QUARANTINED] + self.counts[ParseStatus.FAILED]
                + self.counts[ParseStatus.NEEDS_REVIEW] + self.stuck)


def inbound_backlog(office_id: int | None = None) -> InboundBacklog:
    """Counts per open state (received, quarantined, failed, needs_review), the RECEIVED
    rows older than the stuck age, and the oldest unprocessed item. One grouped query on the
    status index (a row per open state: its count, how many are older than the stuck age, its
    oldest); Python picks the stuck count of RECEIVED and the oldest of RECEIVED and FAILED.
    Over every office and channel for /readyz and metrics (the operator's); with `office_id`,
    over that office's messages and those no office could be told for, as its staff's pages
    show them (another office's backlog is not theirs to know)."""
    base = InboundMessage.objects.all()
    if office_id is not None:
        base = base.filter(Q(office_id=office_id) | Q(office__isnull=True))
    rows = (base.filter(parse_status__in=BACKLOG_STATES).order_by()
            .values_list("parse_status")
            .annotate(n=Count("id"), old=Count("id", filter=Q(received_at__lte=_stuck_before())),
                      first=Min("received_at"))
            .values_list("parse_status", "n", "old", "first"))
    counts = {str(state): 0 for state in BACKLOG_STATES}
    stuck, oldest = 0, None
    for state, n, old, first in rows:
        counts[state] = n
        if state == ParseStatus.RECEIVED:
            stuck = old
        if state in (ParseStatus.RECEIVED, ParseStatus.FAILED):
            oldest = first if oldest is None else min(oldest, first)
    age = max((timezone.now() - oldest).total_seconds(), 0.0) if oldest else None
    return InboundBacklog(counts=counts, stuck=stuck, oldest_unprocessed_at=oldest,
                          oldest_unprocessed_seconds=age)


def inbound_masked_sender(message: InboundMessage) -> str:
    """The sender as lists show it (SPEC §6): `0812-3456-xxxx`, `wa***@example.id`."""
    if "@" in message.sender:
        return mask_email(message.sender)
    return mask_phone(message.sender)


def inbound_get_for_review(user: User | AnonymousUser, message_id: int) -> InboundMessage:
    """One inbound message in full, for the complaint team. Opening a message that belongs to
    a case shows its reporter's contact, so the view is logged like any identity view."""
    if not user.is_authenticated:
        raise NotFound()
    message = (inbound_visible_to(user).select_related("complaint", "resolved_by")
               .filter(pk=message_id).first())
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


# "Has the case channel attachments not fetched yet?", read in the case page's own query
# (access_complaint's annotations): the page looks them up only when it has some.
HAS_PENDING_MEDIA = "intake_has_pending_media"


def media_pending_flag() -> dict[str, Exists]:
    return {HAS_PENDING_MEDIA: Exists(MediaFetch.objects.filter(complaint=OuterRef("pk")).exclude(
        status=MediaFetchStatus.FETCHED))}


def media_fetches_for_complaint(complaint: Complaint) -> list[MediaFetch]:
    """The case's pending and failed channel attachments, for the case page (fetched ones
    are ordinary attachments by then)."""
    if complaint.__dict__.get(HAS_PENDING_MEDIA) is False:
        return []
    return list(MediaFetch.objects.filter(complaint=complaint)
                .exclude(status=MediaFetchStatus.FETCHED).order_by("created_at", "id"))


def lapor_import_jobs(user: User) -> QuerySet[LaporImportJob]:
    """The office's LAPOR! imports, newest first (the complaint team's page)."""
    if user.office_id is None:
        return LaporImportJob.objects.none()
    return LaporImportJob.objects.filter(office_id=user.office_id).select_related("created_by")
