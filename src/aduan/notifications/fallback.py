"""When a reporter's message fails for good: their other channel, or an officer.

WhatsApp cannot reach a reporter outside the 24-hour window without an approved template
(error 131047) or on a number without WhatsApp (131026); an e-mail bounces; an SMS fails. The
reporter still must hear about their case (SPEC §2: every step is told to the reporter), so the
same message goes on the next channel they gave us. With none left, or when the failure is
not about reaching them (a broken template, a channel not configured), an officer is alerted
on the case page and the timeline, to reach the reporter another way.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from aduan.complaints.models import CaseEvent, Complaint
from aduan.notifications.models import OutboxChannel, OutboxMessage, OutboxStatus, TemplateCode

logger = logging.getLogger(__name__)

# Which channel to try next, by the one that failed: the same phone by SMS before e-mail.
NEXT_CHANNELS: dict[str, tuple[str, ...]] = {
    OutboxChannel.WHATSAPP: (OutboxChannel.SMS, OutboxChannel.EMAIL),
    OutboxChannel.SMS: (OutboxChannel.EMAIL, OutboxChannel.WHATSAPP),
    OutboxChannel.EMAIL: (OutboxChannel.WHATSAPP, OutboxChannel.SMS),
}


def _alternatives(complaint: Complaint, failed_channel: str) -> list[tuple[str, str]]:
    """The reporter's other addresses on channels this installation can send on (a shared
    "SMS / WA" number counts for both: the gateway's flag decides)."""
    reporter = complaint.reporter
    usable = {OutboxChannel.EMAIL: reporter.email,
              OutboxChannel.SMS: reporter.phone if settings.ADUAN_SMS_ENABLED else "",
              OutboxChannel.WHATSAPP: reporter.phone if settings.ADUAN_WHATSAPP_ENABLED else ""}
    return [(channel, usable[channel]) for channel in NEXT_CHANNELS.get(failed_channel, ())
            if usable[channel]]


@transaction.atomic
def outbox_reroute_or_alert(message_id: int, *, error: str, unreachable: bool) -> str:
    """Called in the transaction that marks a message failed for good. Returns what was done:
    "rerouted", "reached" (the reporter already has it on another channel), "alerted" or ""
    (not a message to a reporter). Idempotent: a second call for the same message does
    nothing new."""
    # Lock the message row only: the joined case and event may be absent (outer joins), and
    # PostgreSQL locks no nullable side of an outer join.
    message = (OutboxMessage.objects.select_for_update(of=("self",))
               .select_related("complaint__reporter", "complaint__office", "case_event")
               .get(pk=message_id))
    if (message.complaint_id is None or message.template_code == TemplateCode.REMINDER
            or message.data.get("fallback")):
        return ""
    complaint = message.complaint
    assert complaint is not None
    siblings = OutboxMessage.objects.filter(complaint=complaint).exclude(pk=message.pk)
    siblings = (siblings.filter(case_event_id=message.case_event_id) if message.case_event_id
                else siblings.filter(data__fallback_of=message.pk))
    if unreachable:
        for channel, address in _alternatives(complaint, message.channel):
            existing = siblings.filter(channel=channel).first()
            if existing is None:
                row = _reroute(message, complaint, channel, address)
                if row is not None:
                    _mark(message, {"fallback": {"outcome": "rerouted", "to": row.pk,
                                                 "channel": channel}})
                    _timeline(complaint, message, _(
                        "Pesan \u201c%(message)s\u201d tidak sampai lewat %(failed)s "
                        "(%(error)s); dikirim ulang lewat %(channel)s.") % {
                        "message": message.get_template_code_display(),
                        "failed": message.get_channel_display(), "error": error[:300],
                        "channel": OutboxChannel(channel).label}, outcome="rerouted")
                    return "rerouted"
            elif existing.status != OutboxStatus.FAILED:
                _mark(message, {"fallback": {"outcome": "reached", "to": existing.pk,
                                             "channel": channel}})
                return "reached"
    _mark(message, {"fallback": {"outcome": "alerted"}, "officer_alert": True})
    _timeline(complaint, message, _(
        "Pesan \u201c%(message)s\u201d kepada pelapor gagal lewat %(failed)s (%(error)s) dan "
        "tidak ada saluran lain yang dapat dipakai. Hubungi pelapor dengan cara lain.") % {
        "message": message.get_template_code_display(),
        "failed": message.get_channel_display(), "error": error[:300]}, outcome="alerted")
    return "alerted"


def _reroute(message: OutboxMessage, complaint: Complaint, channel: str,
             address: str) -> OutboxMessage | None:
    from aduan.notifications.services import (
        _with_anonymity_notice,
        event_context,
        message_render,
        outbox_enqueue_on_commit,
        outbox_row_text,
    )

    event: CaseEvent | None = message.case_event
    if event is None:
        return None
    rendered = message_render(message.template_code, event_context(complaint, event))
    if rendered is None:
        return None
    if message.template_code == TemplateCode.RECEIPT and complaint.reporter.is_anonymous:
        rendered = _with_anonymity_notice(rendered)
    row = OutboxMessage.objects.create(
        complaint=complaint, case_event=event, template_code=message.template_code,
        channel=channel, recipient=address, **outbox_row_text(complaint, channel, rendered),
        data={**{k: v for k, v in message.data.items()
                 if k in ("register_number", "from_office")},
              "fallback_of": message.pk},
        dedupe_key=f"{message.dedupe_key}-via-{channel}"[:200],
    )
    outbox_enqueue_on_commit([row.pk])
    return row


def _mark(message: OutboxMessage, data: dict[str, object]) -> None:
    message.data = {**message.data, **data}
    message.save(update_fields=["data", "updated_at"])


def _timeline(complaint: Complaint, message: OutboxMessage, body: str, *, outcome: str) -> None:
    from aduan.complaints.services import complaint_record_notification_problem

    complaint_record_notification_problem(
        complaint_id=complaint.pk, body=body,
        data={"outbox_id": message.pk, "channel": message.channel, "outcome": outcome})

