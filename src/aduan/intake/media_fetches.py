"""Pending attachments: channel media that could not be fetched with its message.

The message still makes or joins its case (nothing waits in review for a file); the missing
file is a `MediaFetch` row on the case, shown on the case page, retried with exponential
backoff by the periodic task `retry_media_fetches`, and retried at once by an officer's
click. A retry asks the Graph API again, so an expired URL is renewed.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.accounts.models import User
from aduan.complaints.access import access_complaint
from aduan.complaints.attachments import (
    MESSAGING_TYPES,
    AttachmentRefused,
    attachment_add,
    attachment_batch,
)
from aduan.complaints.models import CaseEvent, Complaint
from aduan.core.exceptions import PermissionDenied, ValidationFailed
from aduan.intake.media import MediaError, whatsapp_media_fetch
from aduan.intake.models import InboundMessage, MediaFetch, MediaFetchStatus
from aduan.intake.parsing import clean_display_name

if TYPE_CHECKING:
    from aduan.intake.services import IncomingFile

logger = logging.getLogger(__name__)

# While one worker fetches a row, others leave it alone for this long (a killed worker's row
# comes back after it).
LEASE = dt.timedelta(minutes=10)


def max_attempts() -> int:
    return int(getattr(settings, "ADUAN_MEDIA_FETCH_MAX_ATTEMPTS", 8))


def backoff_delay(attempts: int) -> dt.timedelta:
    """60 s after the first failure, doubling (2, 4, 8 ... min), at most 6 hours."""
    base = int(getattr(settings, "ADUAN_MEDIA_FETCH_BACKOFF_SECONDS", 60))
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 60 * 60))


def media_fetch_record(*, complaint: Complaint, event: CaseEvent | None,
                       message: InboundMessage, item: IncomingFile) -> MediaFetch:
    """Record a channel file that the message's processing could not store (in the
    processing transaction, with the case). Idempotent per (message, media id)."""
    now = timezone.now()
    retry = item.retryable and max_attempts() > 1
    fetch, _created = MediaFetch.objects.get_or_create(
        inbound=message, media_id=str(item.ref.get("media_id", ""))[:100],
        defaults={
            "complaint": complaint, "event": event, "channel_kind": message.channel_kind,
            "name": clean_display_name(item.name)[:255],
            "declared_type": str(item.declared_type or "")[:100],
            "status": MediaFetchStatus.PENDING if retry else MediaFetchStatus.FAILED,
            "next_attempt_at": now + backoff_delay(1) if retry else None,
            "last_error": item.error[:2000],
        })
    return fetch


def _claim(fetch_id: int, now: dt.datetime, *, force: bool = False) -> MediaFetch | None:
    """Take a due pending row for this worker (a conditional UPDATE: one winner)."""
    rows = MediaFetch.objects.filter(pk=fetch_id, status=MediaFetchStatus.PENDING)
    if not force:
        rows = rows.filter(next_attempt_at__lte=now)
    if not rows.update(next_attempt_at=now + LEASE, updated_at=now):
        return None
    return MediaFetch.objects.select_related("complaint").get(pk=fetch_id)


def media_fetch_attempt(fetch_id: int, *, force: bool = False,
                        now: dt.datetime | None = None) -> MediaFetch | None:
    """Try one pending attachment again: download outside any transaction, then store it
    (checked by the same content pipeline as uploads) or record the failure and the next
    attempt. Returns the row, or None when it was not due or another worker has it."""
    now = now or timezone.now()
    fetch = _claim(fetch_id, now, force=force)
    if fetch is None:
        return None
    try:
        media = whatsapp_media_fetch(fetch.media_id)
    except MediaError as exc:
        return _failed(fetch.pk, exc.message, retryable=exc.retryable, now=now)
    except Exception as exc:  # a bug must not strand the row: it is retried like a failure
        logger.exception("media fetch %s failed unexpectedly", fetch.pk)
        return _failed(fetch.pk, repr(exc)[:300], retryable=True, now=now)
    try:
        # The batch removes the stored file again if the transaction rolls back.
        with attachment_batch(), transaction.atomic():
            row = MediaFetch.objects.select_for_update().get(pk=fetch.pk)
            if row.status != MediaFetchStatus.PENDING:
                return row
            upload = File(media.file, name=row.name or "lampiran")
            upload.size = media.size
            try:
                attachment = attachment_add(complaint=row.complaint, file=upload,
                                            event=row.event, allowed=MESSAGING_TYPES)
            except AttachmentRefused as refusal:
                row.status, row.last_error = MediaFetchStatus.FAILED, refusal.message
                row.next_attempt_at = None
                row.save(update_fields=["status", "last_error", "next_attempt_at",
                                        "updated_at"])
                return row
            row.status, row.attachment, row.fetched_at = (MediaFetchStatus.FETCHED,
                                                          attachment, timezone.now())
            row.next_attempt_at, row.last_error = None, ""
            row.save(update_fields=["status", "attachment", "fetched_at", "next_attempt_at",
                                    "last_error", "updated_at"])
            return row
    finally:
        media.file.close()


def _failed(fetch_id: int, error: str, *, retryable: bool, now: dt.datetime) -> MediaFetch:
    with transaction.atomic():
        row = MediaFetch.objects.select_for_update().get(pk=fetch_id)
        row.attempts += 1
        row.last_error = error[:2000]
        if retryable and row.attempts < max_attempts():
            row.next_attempt_at = now + backoff_delay(row.attempts)
        else:
            row.status, row.next_attempt_at = MediaFetchStatus.FAILED, None
        row.save(update_fields=["attempts", "last_error", "status", "next_attempt_at",
                                "updated_at"])
        return row


def media_fetch_retry_due(*, now: dt.datetime | None = None, limit: int = 50) -> dict[str, int]:
    """The periodic task's body: try every due pending attachment once."""
    now = now or timezone.now()
    due = list(MediaFetch.objects.filter(status=MediaFetchStatus.PENDING,
                                         next_attempt_at__lte=now)
               .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    counts = {"due": len(due), "fetched": 0, "failed": 0}
    for pk in due:
        row = media_fetch_attempt(pk, now=now)
        if row is not None and row.status == MediaFetchStatus.FETCHED:
            counts["fetched"] += 1
        elif row is not None and row.status == MediaFetchStatus.FAILED:
            counts["failed"] += 1
    return counts


def media_fetch_retry(*, fetch_id: int, actor: User) -> MediaFetch:
    """An officer asks for a pending or failed attachment now (after Meta's outage ended or
    the access token was replaced). Preconditions: the actor may see the case and is on the
    complaint team. A failed row gets a fresh attempt budget."""
    fetch = MediaFetch.objects.get(pk=fetch_id)
    access_complaint(actor, fetch.complaint_id)
    if not actor.is_complaint_team:
        raise PermissionDenied(_("Hanya tim pengaduan yang dapat mengambil ulang lampiran."))
    with transaction.atomic():
        row = MediaFetch.objects.select_for_update().get(pk=fetch_id)
        if row.status == MediaFetchStatus.FETCHED:
            raise ValidationFailed(_("Lampiran ini sudah diambil."))
        if row.status == MediaFetchStatus.FAILED:
            row.status, row.attempts = MediaFetchStatus.PENDING, 0
        row.next_attempt_at = timezone.now()
        row.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
    return media_fetch_attempt(fetch_id, force=True) or MediaFetch.objects.get(pk=fetch_id)
