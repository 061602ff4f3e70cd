"""Retention (UU 27/2022): the outbox rows of an anonymised reporter's cases lose their
recipient and text; channel, template, status and timestamps stay for delivery statistics."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.core.redaction import Redactor
from aduan.notifications.models import OutboxMessage, OutboxStatus, ReplyToken


def outbox_purge_for_complaints(*, complaint_ids: list[int], redact: Redactor) -> int:
    """Clear recipient, subject, body, data, the provider's id (a WhatsApp id encodes the
    number) and the last error of every message of these cases, staff reminders included
    (they quote the reporter's name). A message still waiting to be sent is marked failed: it
    has nobody left to go to. The cases' reply tokens (with the address they were issued to)
    are deleted: no later mail joins an anonymised case. Returns the rows cleared."""
    now = timezone.now()
    ReplyToken.objects.filter(complaint_id__in=complaint_ids).delete()
    # The confirmation of an erasure request is written just before the erasure and must still
    # reach the reporter: it forgets its recipient and text itself once sent (services.py).
    # (A list of ids: excluding on a JSON key would also drop the rows without it, as NULL.)
    keep = list(OutboxMessage.objects.filter(
        complaint_id__in=complaint_ids, data__forget=True,
        status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING]).values_list("pk", flat=True))
    rows = OutboxMessage.objects.filter(complaint_id__in=complaint_ids).exclude(pk__in=keep)
    count = rows.update(recipient="", subject="", body="", data={}, provider_message_id="",
                        last_error="", updated_at=now)
    rows.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING]).update(
        status=OutboxStatus.FAILED, failed_at=now, claimed_at=None,
        last_error=_("Tidak dikirim: data pribadi pelapor dihapus (masa retensi berakhir)."))
    return count
