"""The outbox: messages written with the event that causes them, delivered at least once.

Writing: `outbox_write_for_event` is registered on `complaints.notify` and runs inside the
service's transaction, so a message exists if and only if its event does; delivery is queued
on commit. Delivering: a row is claimed with a conditional UPDATE (pending -> sending), sent,
and marked sent with the provider's id; errors retry with exponential backoff, then fail.
`outbox_sweep` (periodic) re-queues due rows and rows left "sending" by a killed worker, so no
message is lost; a duplicate is possible only when the kill fell between the provider's
acceptance and our record of it, and it carries the same outbox id (Message-ID
`<outbox-<id>@host>`, WhatsApp `biz_opaque_callback_data`, SMS gateway message id).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.complaints.models import CaseEvent, Complaint, EventKind
from aduan.complaints.workflow import SETTLED_STATUSES, Status
from aduan.core import jobs, refcache
from aduan.core.fastinsert import insert
from aduan.notifications import conf
from aduan.notifications.defaults import DEFAULT_TEMPLATES
from aduan.notifications.fallback import outbox_reroute_or_alert
from aduan.notifications.models import (
    STATUS_RANK,
    MessageTemplate,
    OutboxChannel,
    OutboxMessage,
    OutboxStatus,
    TemplateCode,
)
from aduan.notifications.rendering import (
    Rendered,
    case_url,
    format_date,
    public_url,
    render_text,
    survey_url,
    tracking_url,
)
from aduan.notifications.senders import (
    PermanentSendError,
    SendError,
    UnreachableSendError,
    sender_for,
)
from aduan.notifications.senders.whatsapp import codes_are_unreachable
from aduan.offices.models import ChannelKind, Office
from aduan.offices.selectors import channel_kind_is_active

logger = logging.getLogger(__name__)

# The job that sends one outbox message; `tasks.deliver_outbox_message` provides it (core/jobs.py).
DELIVER_JOB = "notifications.deliver_outbox_message"

# The public events a reporter is told about, and the message each one uses (SPEC §4).
EVENT_TEMPLATES: dict[str, str] = {
    EventKind.RECEIVED: TemplateCode.RECEIPT,
    EventKind.COMPLETION_REQUESTED: TemplateCode.COMPLETION_REQUEST,
    EventKind.DOCUMENTS_REQUESTED: TemplateCode.DOCUMENTS_REQUEST,
    EventKind.DOCUMENTS_LAPSED: TemplateCode.DOCUMENTS_LAPSED,
    EventKind.REFERRED: TemplateCode.REFERRAL,
    EventKind.ANSWERED: TemplateCode.ANSWER,
    EventKind.RESPONDED: TemplateCode.RESPONSE,
    EventKind.CLOSED: TemplateCode.CLOSURE,
    EventKind.AUTO_CLOSED: TemplateCode.CLOSURE,
    EventKind.WITHDRAWN: TemplateCode.WITHDRAWN,
    EventKind.MESSAGE_OUT: TemplateCode.MESSAGE,
    # Between offices (complaints/transfers.py): who handles the case now, same tracking code.
    EventKind.FORWARDED: TemplateCode.FORWARDED,
    EventKind.ROUTED: TemplateCode.FORWARDED,
    EventKind.FORWARD_REFUSED: TemplateCode.FORWARD_RETURNED,
}


# --------------------------------------------------------------------------------------------
# Templates
# --------------------------------------------------------------------------------------------


def message_templates_ensure_defaults(**_: Any) -> int:
    """Create the missing default templates (never overwrites an administrator's edits)."""
    existing = set(MessageTemplate.objects.values_list("code", flat=True))
    missing = [
        MessageTemplate(code=code, **texts)
        for code, texts in DEFAULT_TEMPLATES.items()
        if code not in existing
    ]
    MessageTemplate.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def message_render(code: str, context: dict[str, Any]) -> Rendered | None:
    """Render template `code`; None when the administrator switched the message off.

    An administrator's template that fails at render time falls back to the default text, so
    a typo never loses a receipt.
    """
    row = refcache.memo(("message-templates",),
                        lambda: {t.code: t for t in MessageTemplate.objects.all()}).get(code)
    default = DEFAULT_TEMPLATES[code]
    if row is not None and not row.is_active:
        return None
    texts = (
        {"subject": row.subject, "body": row.body, "short_body": row.short_body}
        if row is not None
        else default
    )
    try:
        body = render_text(texts["body"], context)
        return Rendered(
            subject=render_text(texts["subject"], context),
            body=body,
            short_body=render_text(texts["short_body"], context) or body,
        )
    except Exception:
        logger.exception("message template %s failed to render; using the default", code)
        body = render_text(default["body"], context)
        return Rendered(
            subject=render_text(default["subject"], context),
            body=body,
            short_body=render_text(default["short_body"], context) or body,
        )


def _complaint_context(complaint: Complaint) -> dict[str, Any]:
    office = complaint.office
    reporter = complaint.reporter
    return {
        "office_name": office.name,
        "office_short_name": office.short_name,
        "office_phone": office.phone,
        "register_number": complaint.register_number,
        "tracking_code": complaint.tracking_code,
        "tracking_url": tracking_url(complaint.tracking_code),
        "survey_url": survey_url(),
        "complaint_subject": complaint.subject,
        "received_date": format_date(complaint.received_on),
        "due_date": format_date(complaint.due_on),
        "settle_days": str(office.settle_days),
        "status": str(Status(complaint.status).label),
        "completion_due_date": format_date(complaint.completion_due_on),
        "auto_close_date": format_date(complaint.auto_close_on),
        "reporter_name": "" if reporter.is_anonymous else reporter.name,
    }


def _subject(complaint: Complaint | None, subject: str) -> str:
    """The register number leads the subject so replies thread: `[500.16.7.2/23/...] ...`."""
    return f"[{complaint.register_number}] {subject}"[:300] if complaint else subject[:300]


# --------------------------------------------------------------------------------------------
# Writing (inside the service transaction)
# --------------------------------------------------------------------------------------------


def _channel_enabled(office: Office, kind: str) -> bool:
    from django.conf import settings

    flag = {
        ChannelKind.WHATSAPP: settings.ADUAN_WHATSAPP_ENABLED,
        ChannelKind.SMS: settings.ADUAN_SMS_ENABLED,
    }[kind]  # type: ignore[index]
    return bool(flag) and channel_kind_is_active(office, kind)


def _inbound_channel_kind(complaint: Complaint, first_event: CaseEvent | None = None) -> str:
    """The channel kind the reporter last wrote on, when intake recorded it: an office may
    run SMS and WhatsApp on one shared "SMS / WA" channel, and a text message must be answered
    by SMS, not WhatsApp (SPEC §2: replies go back the way the complaint came).

    `first_event`: the RECEIVED event just written with the case, which has no other event yet.
    """
    recent: Iterable[object]
    if first_event is not None:
        recent = [first_event.data]
    else:
        recent = (complaint.events.filter(kind__in=[EventKind.MESSAGE_IN, EventKind.RECEIVED])
                  .order_by("-created_at", "-id").values_list("data", flat=True)[:5])
    for data in recent:
        kind = (data or {}).get("channel_kind") if isinstance(data, dict) else None
        if kind in (ChannelKind.WHATSAPP, ChannelKind.SMS, ChannelKind.EMAIL):
            return str(kind)
    return ""


def reporter_destinations(complaint: Complaint,
                          first_event: CaseEvent | None = None) -> list[tuple[str, str]]:
    """(channel, address) pairs for the reporter: the way the complaint came (SPEC §2).

    WhatsApp/SMS complaints are answered on that number; e-mail, web and desk complaints by
    e-mail, plus WhatsApp (or else SMS) when a phone is given and that channel is set up.
    Anonymous reporters without a contact get nothing.
    """
    reporter = complaint.reporter
    kind = _inbound_channel_kind(complaint, first_event) or complaint.channel.kind
    if kind == ChannelKind.WHATSAPP and reporter.phone:
        return [(OutboxChannel.WHATSAPP, reporter.phone)]
    if kind == ChannelKind.SMS and reporter.phone:
        return [(OutboxChannel.SMS, reporter.phone)]
    destinations: list[tuple[str, str]] = []
    if reporter.email:
        destinations.append((OutboxChannel.EMAIL, reporter.email))
    if reporter.phone:
        for phone_kind in (ChannelKind.WHATSAPP, ChannelKind.SMS):
            if _channel_enabled(complaint.office, phone_kind):
                destinations.append((str(phone_kind), reporter.phone))
                break
    return destinations


def outbox_write_for_event(event: CaseEvent, *, fresh: bool = False) -> list[OutboxMessage]:
    """The `complaints.notify` handler: write the reporter's messages for a public event.

    Runs inside the service's transaction. Events recorded long after they happened (history
    being entered) are not announced. Idempotent per (event, channel); `fresh` (the hook's
    dispatch of an event written in this transaction) skips asking for existing rows.
    """
    code = EVENT_TEMPLATES.get(event.kind)
    if code is None or not event.is_public:
        return []
    if event.created_at < timezone.now() - dt.timedelta(days=conf.max_event_age_days()):
        return []
    complaint = _event_complaint(event)
    if event.kind in _STAFF_TEMPLATES:
        _transfer_to_staff(complaint, event)
    destinations = reporter_destinations(
        complaint, event if fresh and event.kind == EventKind.RECEIVED else None)
    if not destinations:
        return []
    rendered = message_render(code, event_context(complaint, event))
    if rendered is None:
        return []
    if code == TemplateCode.RECEIPT and complaint.reporter.is_anonymous:
        rendered = _with_anonymity_notice(rendered)
    data = {"register_number": complaint.register_number,
            "from_office": _from_office(complaint, event)}
    rows = [
        OutboxMessage(
            complaint=complaint,
            case_event=event,
            template_code=code,
            channel=channel,
            recipient=address,
            **outbox_row_text(complaint, channel, rendered),
            data=data,
            dedupe_key=f"event-{event.pk}-{channel}",
        )
        for channel, address in destinations
    ]
    in_transaction = jobs.queues_in_transaction(DELIVER_JOB)
    if in_transaction:
        now = timezone.now()
        for row in rows:
            row.enqueued_at = now
    written = _insert_new(rows, fresh_event=fresh)
    if in_transaction:
        # The database task backend writes its task row in this same transaction: the message
        # and its delivery task exist together or not at all, with no second write after commit.
        outbox_enqueue([row.pk for row in written], mark=False)
    else:
        outbox_enqueue_on_commit([row.pk for row in written])
    return written


def outbox_write_to_reporter(complaint: Complaint, code: str, context: dict[str, Any], *,
                             dedupe_key: str, forget_after_delivery: bool = False,
                             destinations: list[tuple[str, str]] | None = None,
                             ) -> list[OutboxMessage]:
    """Write a message to the reporter of `complaint` that no case event causes (a one-time
    code, the answer to a data-subject request, a breach notice), on the reporter's channels
    (`reporter_destinations`), inside the caller's transaction. Idempotent per `dedupe_key`
    and channel. `forget_after_delivery`: the row keeps its recipient and text only until it is
    sent or fails for good (the confirmation of an erasure, which must still reach the
    reporter whose data is being erased; see retention.py)."""
    complaint = Complaint.objects.select_related("office", "channel", "reporter").get(
        pk=complaint.pk)
    if destinations is None:
        destinations = reporter_destinations(complaint)
    if not destinations:
        return []
    rendered = message_render(code, {**_complaint_context(complaint), **context})
    if rendered is None:
        return []
    data: dict[str, Any] = {"register_number": complaint.register_number,
                            "from_office": complaint.office_id}
    if forget_after_delivery:
        data["forget"] = True
    rows = [
        OutboxMessage(
            complaint=complaint, template_code=code, channel=channel, recipient=address,
            **outbox_row_text(complaint, channel, rendered), data=data,
            dedupe_key=f"{dedupe_key}-{channel}"[:200],
        )
        for channel, address in destinations
    ]
    written = _insert_new(rows)
    outbox_enqueue_on_commit([row.pk for row in written])
    return written


def _from_office(complaint: Complaint, event: CaseEvent) -> int:
    """The office whose channels a reporter's message goes out on (issue 18; the senders read
    it as `data["from_office"]`, offices.selectors.channel_sends_as): the case's office, except
    that the news of a forward comes from the office the reporter has been writing to (later
    messages come from the receiving office's own number or mailbox, when it has one)."""
    if event.kind in (EventKind.FORWARDED, EventKind.ROUTED):
        sender = (event.data or {}).get("from_office_id")
        if isinstance(sender, int) and not isinstance(sender, bool):
            return sender
    return complaint.office_id


def _with_anonymity_notice(rendered: Rendered) -> Rendered:
    """Tell an anonymous reporter what we keep (issue 11), whatever the office's template."""
    notice = _("Pengaduan Anda dicatat tanpa identitas (anonim): nama Anda tidak disimpan; "
               "nomor atau alamat ini hanya dipakai untuk mengirim kabar pengaduan ini.")
    return Rendered(subject=rendered.subject, body=f"{rendered.body}\n\n{notice}",
                    short_body=f"{rendered.short_body}\n\n{notice}")


# The staff message an office-to-office step writes, beside the reporter's (issue 18).
_STAFF_TEMPLATES: dict[str, str] = {
    EventKind.FORWARDED: TemplateCode.FORWARD_RECEIVED,
    EventKind.ROUTED: TemplateCode.FORWARD_RECEIVED,
    EventKind.FORWARD_REFUSED: TemplateCode.FORWARD_REFUSED,
}


def _transfer_to_staff(complaint: Complaint, event: CaseEvent) -> list[OutboxMessage]:
    """E-mail the complaint team (officers and team leads, by the roles they hold in it) of
    the office that holds the case after a step between offices: the receiving office of a
    forward or a route (who sent it, why, and that it may still refuse it), or the office a
    refused forward came back to (who refused and why). Inside the service's transaction,
    once per event and person."""
    code = _STAFF_TEMPLATES[event.kind]
    recipients = _reminder_recipients(complaint.office)
    if not recipients:
        return []
    context = event_context(complaint, event)
    context["case_url"] = case_url(complaint.pk)
    rendered = message_render(code, context)
    if rendered is None:
        return []
    rows = [
        OutboxMessage(
            complaint=complaint, case_event=event, template_code=code,
            channel=OutboxChannel.EMAIL, recipient=user.email,
            subject=_subject(complaint, rendered.subject), body=rendered.body,
            dedupe_key=f"event-{event.pk}-staff-{user.pk}",
        )
        for user in recipients
    ]
    written = _insert_new(rows)
    outbox_enqueue_on_commit([row.pk for row in written])
    return written


def event_context(complaint: Complaint, event: CaseEvent) -> dict[str, Any]:
    """What a reporter's message about `event` may say."""
    context = _complaint_context(complaint)
    context["message"] = event.body
    if event.kind in (EventKind.FORWARDED, EventKind.ROUTED, EventKind.FORWARD_REFUSED):
        # The office the case comes from: the sender of a forward, the refuser of a refusal.
        data = event.data or {}
        side = "to" if event.kind == EventKind.FORWARD_REFUSED else "from"
        context["previous_office_name"] = str(data.get(f"{side}_office_name", ""))
        context["previous_register_number"] = str(data.get(f"{side}_register_number", ""))
        context["reason"] = str(data.get("reason", ""))
    if complaint.referred_agency is not None:
        context["agency_name"] = complaint.referred_agency.name
        context["agency_contact"] = complaint.referred_agency.contact
    return context


def outbox_row_text(complaint: Complaint, channel: str, rendered: Rendered) -> dict[str, str]:
    """Subject and body of a reporter's message on `channel`: e-mail gets the full text under
    the numbered subject, WhatsApp and SMS the short text."""
    if channel == OutboxChannel.EMAIL:
        return {"subject": _subject(complaint, rendered.subject), "body": rendered.body}
    return {"subject": "", "body": rendered.short_body}


def _event_complaint(event: CaseEvent) -> Complaint:
    """The event's case with its office, channel and reporter: the instance the service just
    wrote when the event carries it, else read once."""
    if CaseEvent.complaint.is_cached(event):
        complaint = event.complaint
        if all(field.is_cached(complaint) for field in (
                Complaint.office, Complaint.channel, Complaint.reporter)):
            return complaint
    return Complaint.objects.select_related(
        "office", "channel", "reporter", "referred_agency"
    ).get(pk=event.complaint_id)


def _insert_new(rows: list[OutboxMessage], *, fresh_event: bool = False) -> list[OutboxMessage]:
    """Insert the rows whose (event, channel) has no message yet. An event written in this
    transaction has none, so its rows are inserted without asking."""
    if fresh_event:
        new = rows
    else:
        keys = [row.dedupe_key for row in rows]
        existing = set(
            OutboxMessage.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
        )
        new = [row for row in rows if row.dedupe_key not in existing]
    for row in new:
        insert(row)
    return new


# --------------------------------------------------------------------------------------------
# Queueing
# --------------------------------------------------------------------------------------------


def outbox_enqueue_on_commit(ids: Iterable[int]) -> None:
    ids = list(ids)
    if ids:
        transaction.on_commit(lambda: outbox_enqueue(ids))


def outbox_enqueue(ids: Iterable[int], *, run_after: dt.datetime | None = None,
                   mark: bool = True) -> None:
    """Hand rows to the task backend. A failure to queue loses nothing: the sweeper re-queues
    pending rows whose `enqueued_at` is old or empty. `mark=False` when the rows were written
    with `enqueued_at` already set."""
    task = jobs.job(DELIVER_JOB)
    if conf.queue_name() != task.queue_name:
        task = task.using(queue_name=conf.queue_name())
    if run_after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    for pk in ids:
        if mark:
            OutboxMessage.objects.filter(pk=pk, status=OutboxStatus.PENDING).update(
                enqueued_at=timezone.now()
            )
        try:
            task.enqueue(pk)
        except Exception:
            logger.exception("could not queue outbox message %s; the sweeper will retry", pk)


# --------------------------------------------------------------------------------------------
# Delivering (in the worker)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryResult:
    message_id: int
    outcome: str  # sent | retry | failed | skipped


def outbox_claim(message_id: int, *, now: dt.datetime | None = None) -> OutboxMessage | None:
    """Atomically take a due pending row (pending -> sending); None when another worker has
    it, it is already sent, or it is not yet due. Counts the attempt."""
    now = now or timezone.now()
    claimed = OutboxMessage.objects.filter(
        pk=message_id,
        status=OutboxStatus.PENDING,
        next_attempt_at__lte=now,
    ).update(
        status=OutboxStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now
    )
    if not claimed:
        return None
    return OutboxMessage.objects.select_related("complaint", "complaint__channel").get(
        pk=message_id
    )


def backoff_delay(attempts: int) -> dt.timedelta:
    seconds = conf.backoff_seconds() * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, conf.backoff_cap_seconds()))


def outbox_deliver(message_id: int) -> DeliveryResult:
    """Claim, send and record one message (the body of the delivery task)."""
    message = outbox_claim(message_id)
    if message is None:
        return DeliveryResult(message_id, "skipped")
    mine = Q(pk=message.pk, status=OutboxStatus.SENDING, claimed_at=message.claimed_at)
    try:
        provider_id = sender_for(message.channel).send(message)
    except SendError as exc:
        return _record_failure(
            message, mine, exc.message, permanent=isinstance(exc, PermanentSendError),
            unreachable=isinstance(exc, UnreachableSendError),
        )
    except Exception as exc:  # a bug in a sender must not strand the row in "sending"
        logger.exception("outbox message %s: unexpected error", message.pk)
        return _record_failure(message, mine, f"{type(exc).__name__}: {exc}", permanent=False)
    now = timezone.now()
    OutboxMessage.objects.filter(mine).update(
        status=OutboxStatus.SENT,
        provider_message_id=provider_id[:200],
        sent_at=now,
        last_error="",
        updated_at=now,
        **_FORGET if (message.data or {}).get("forget") else {},
    )
    return DeliveryResult(message.pk, "sent")


# What a message marked "forget" (outbox_write_to_reporter) loses once it is sent or failed.
_FORGET: dict[str, Any] = {"recipient": "", "subject": "", "body": "", "data": {}}


def _record_failure(
    message: OutboxMessage, mine: Q, error: str, *, permanent: bool, unreachable: bool = False
) -> DeliveryResult:
    """Retry with backoff, or fail for good: a permanent error at once, any other after the
    attempt budget. A reporter's message that failed for good goes to their other channel
    when this one cannot reach them (`unreachable`), else an officer is alerted on the case."""
    now = timezone.now()
    if permanent or message.attempts >= conf.max_attempts():
        with transaction.atomic():
            forget = bool((message.data or {}).get("forget"))
            failed = OutboxMessage.objects.filter(mine).update(
                status=OutboxStatus.FAILED, last_error=error[:2000], failed_at=now,
                updated_at=now, **_FORGET if forget else {}
            )
            if failed and not forget:
                outbox_reroute_or_alert(message.pk, error=error, unreachable=unreachable)
        logger.warning("outbox message %s failed: %s", message.pk, error)
        return DeliveryResult(message.pk, "failed")
    retry_at = now + backoff_delay(message.attempts)
    OutboxMessage.objects.filter(mine).update(
        status=OutboxStatus.PENDING,
        last_error=error[:2000],
        next_attempt_at=retry_at,
        claimed_at=None,
        updated_at=now,
    )
    outbox_enqueue([message.pk], run_after=retry_at)
    return DeliveryResult(message.pk, "retry")


def outbox_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Recover what a crash or a full queue left behind (run periodically by the worker).

    Rows "sending" longer than the stuck limit lost their worker: back to pending, due now.
    Pending rows that are due and were not queued recently are queued again (the claim makes
    a second queue entry harmless).
    """
    now = now or timezone.now()
    stuck = OutboxMessage.objects.filter(
        status=OutboxStatus.SENDING,
        claimed_at__lt=now - dt.timedelta(seconds=conf.stuck_after_seconds()),
    ).update(
        status=OutboxStatus.PENDING,
        next_attempt_at=now,
        claimed_at=None,
        enqueued_at=None,
        updated_at=now,
        last_error=_("Pengiriman terputus (proses pengirim berhenti); dikirim ulang."),
    )
    due = list(
        OutboxMessage.objects.filter(
            Q(enqueued_at__isnull=True)
            | Q(enqueued_at__lt=now - dt.timedelta(seconds=conf.requeue_after_seconds())),
            status=OutboxStatus.PENDING,
            next_attempt_at__lte=now,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:1000]
    )
    outbox_enqueue(due)
    return {"recovered": stuck, "requeued": len(due)}


def outbox_retry_failed(ids: Iterable[int]) -> int:
    """Send failed messages again (e.g. after the channel was configured): back to pending
    with a fresh attempt budget; the previous error stays until the next attempt."""
    now = timezone.now()
    with transaction.atomic():
        retry = list(
            OutboxMessage.objects.filter(pk__in=list(ids), status=OutboxStatus.FAILED).values_list(
                "pk", flat=True
            )
        )
        OutboxMessage.objects.filter(pk__in=retry, status=OutboxStatus.FAILED).update(
            status=OutboxStatus.PENDING,
            attempts=0,
            next_attempt_at=now,
            failed_at=None,
            claimed_at=None,
            updated_at=now,
        )
        outbox_enqueue_on_commit(retry)
    return len(retry)


# --------------------------------------------------------------------------------------------
# Provider status reports (WhatsApp webhooks, SMS gateway callbacks; parsed by intake)
# --------------------------------------------------------------------------------------------


OUR_ID = re.compile(r"^<?outbox-(\d+)(?:@[^>]*)?>?$")


def _find_by_provider_id(provider_message_id: str) -> OutboxMessage | None:
    """By the provider's id (e-mail ids with or without <>), or by our own `outbox-<id>` as
    the SMS gateway and WhatsApp's `biz_opaque_callback_data` echo it when a crash kept us
    from recording the provider's id. Never for e-mail: anyone can send us a bounce, so a
    bounce counts only when it names a random Message-ID we really sent."""
    bare = provider_message_id.strip("<>")
    rows = OutboxMessage.objects.select_for_update()
    message = rows.filter(provider_message_id__in={provider_message_id, bare, f"<{bare}>"}).first()
    if message is None and (match := OUR_ID.match(provider_message_id)):
        message = (
            rows.filter(pk=int(match.group(1)))
            .exclude(status__in=[OutboxStatus.PENDING])
            .exclude(channel=OutboxChannel.EMAIL)
            .first()
        )
    return message


def outbox_record_provider_status(
    *, provider_message_id: str, status: str, error: str = "", at: dt.datetime | None = None,
    error_codes: Iterable[object] = (), unreachable: bool = False,
) -> OutboxMessage | None:
    """Record a provider's delivered/read/failed report on the message it sent.

    Statuses only move forward (a late "delivered" never undoes "read"); "sent" reports are
    accepted but change nothing new. Returns None for an id we never sent. A failure that
    says the channel cannot reach the reporter (`unreachable`: an e-mail bounce, a failed
    SMS; WhatsApp's `error_codes` 131047, 131026...) sends the message on their other
    channel, else alerts an officer on the case.
    """
    provider_message_id = (provider_message_id or "").strip()
    status = (status or "").strip().lower()
    if not provider_message_id or status not in STATUS_RANK:
        return None
    at = at or timezone.now()
    with transaction.atomic():
        message = _find_by_provider_id(provider_message_id)
        if message is None:
            return None
        if STATUS_RANK[OutboxStatus(status)] <= STATUS_RANK[OutboxStatus(message.status)]:
            return message
        fields: dict[str, object] = {"status": status, "updated_at": timezone.now()}
        last_error = ""
        if status == OutboxStatus.DELIVERED:
            fields["delivered_at"] = at
        elif status == OutboxStatus.READ:
            fields["read_at"] = at
            fields["delivered_at"] = message.delivered_at or at
        elif status == OutboxStatus.FAILED:
            fields["failed_at"] = at
            last_error = (error or _("Gagal menurut penyedia layanan."))[:2000]
            fields["last_error"] = last_error
        for name, value in fields.items():
            setattr(message, name, value)
        message.save(update_fields=list(fields))
        if status == OutboxStatus.FAILED:
            if message.channel == OutboxChannel.WHATSAPP:
                unreachable = unreachable or codes_are_unreachable(list(error_codes))
            outbox_reroute_or_alert(message.pk, error=last_error,
                                    unreachable=unreachable)
        return message


# --------------------------------------------------------------------------------------------
# Reminders to staff
# --------------------------------------------------------------------------------------------


def _reminder_recipients(office: Office) -> list[Any]:
    """The office's complaint team (officers and team leads) by the roles they hold in it:
    home role or an active membership (issue 18)."""
    from aduan.accounts.memberships import staff_with_roles
    from aduan.accounts.models import Role

    return staff_with_roles(office.pk, [Role.OFFICER, Role.TEAM_LEAD])


def reminders_queue(*, today: dt.date | None = None) -> int:
    """E-mail the complaint team (officers and team leads) about each open case due within
    `office.reminder_days` working days or overdue; once per case, person and working day."""
    from aduan.complaints.deadlines import deadline_state
    from aduan.offices.calendar import calendar_for_office

    today = today or timezone.localdate()
    written: list[OutboxMessage] = []
    for office in Office.objects.filter(is_active=True):
        recipients = _reminder_recipients(office)
        if not recipients:
            continue
        calendar = calendar_for_office(office.pk)
        if not calendar.is_working_day(today):
            continue  # the team is off; the next working day's run reminds them
        horizon = calendar.add_working_days(today, office.reminder_days)
        cases = (
            Complaint.objects.filter(office=office, due_on__lte=horizon)
            .exclude(status__in=SETTLED_STATUSES)
            .select_related("office", "unit", "reporter", "channel")
            .order_by("due_on")
        )
        for complaint in cases:
            state = deadline_state(complaint, today=today, calendar=calendar)
            if not (state.is_overdue or state.is_due_soon):
                continue
            context = _complaint_context(complaint)
            context.update(
                is_overdue=state.is_overdue,
                days_left=str(state.working_days_left),
                unit_name=complaint.unit.name if complaint.unit else "",
                case_url=case_url(complaint.pk),
            )
            rendered = message_render(TemplateCode.REMINDER, context)
            if rendered is None:
                return 0
            rows = [
                OutboxMessage(
                    complaint=complaint,
                    template_code=TemplateCode.REMINDER,
                    channel=OutboxChannel.EMAIL,
                    recipient=user.email,
                    subject=_subject(complaint, rendered.subject),
                    body=rendered.body,
                    dedupe_key=f"reminder-{complaint.pk}-{today.isoformat()}-{user.pk}",
                )
                for user in recipients
            ]
            with transaction.atomic():
                new = _insert_new(rows)
                outbox_enqueue_on_commit([row.pk for row in new])
            written.extend(new)
    return len(written)


def _users_with_role(office: Office, role: str, *, unit_id: int | None = None) -> list[Any]:
    """Who holds `role` in `office` (home role or active membership; in `unit_id` of it)."""
    from aduan.accounts.memberships import staff_with_roles

    return staff_with_roles(office.pk, [role], unit_id=unit_id)


def escalations_queue(*, today: dt.date | None = None) -> int:
    """The escalation ladder beyond the complaint team (who get `reminders_queue`), per office
    (`Office.escalate_to_unit`, `Office.escalate_to_head_after_days`):

    1. the staff of the unit holding the case, when it is due within `reminder_days` working
       days or overdue;
    2. the head of office once it is overdue by at least `escalate_to_head_after_days`
       working days (0: from the first day; empty: never).

    Once per case, person and working day, by e-mail through the outbox. The subject is
    redacted as for anyone outside the complaint team (docs/privacy.md): no reporter identity.
    Returns the messages written."""
    from aduan.accounts.models import Role
    from aduan.complaints.deadlines import deadline_state
    from aduan.complaints.publication import public_redactor
    from aduan.offices.calendar import calendar_for_office

    today = today or timezone.localdate()
    written: list[OutboxMessage] = []
    for office in Office.objects.filter(is_active=True):
        head_after = office.escalate_to_head_after_days
        if not office.escalate_to_unit and head_after is None:
            continue
        calendar = calendar_for_office(office.pk)
        if not calendar.is_working_day(today):
            continue
        heads = _users_with_role(office, Role.HEAD) if head_after is not None else []
        horizon = calendar.add_working_days(today, office.reminder_days)
        cases = (
            Complaint.objects.filter(office=office, due_on__lte=horizon)
            .exclude(status__in=SETTLED_STATUSES)
            .select_related("office", "unit", "reporter", "channel")
            .order_by("due_on", "pk")
        )
        unit_staff: dict[int, list[Any]] = {}
        for complaint in cases:
            state = deadline_state(complaint, today=today, calendar=calendar)
            if not (state.is_overdue or state.is_due_soon):
                continue
            days_overdue = max(-state.working_days_left, 0) if state.is_overdue else 0
            rungs: list[tuple[str, str, list[Any]]] = []
            if office.escalate_to_unit and complaint.unit_id:
                if complaint.unit_id not in unit_staff:
                    unit_staff[complaint.unit_id] = _users_with_role(
                        office, Role.UNIT_STAFF, unit_id=complaint.unit_id)
                rungs.append(("unit", _("staf bidang yang menangani pengaduan ini"),
                              unit_staff[complaint.unit_id]))
            if state.is_overdue and head_after is not None and days_overdue >= head_after:
                rungs.append(("head", _("pimpinan kantor (pengaduan melewati tenggat)"), heads))
            if not any(users for _rung, _label, users in rungs):
                continue
            context = _complaint_context(complaint)
            context.update(
                complaint_subject=public_redactor(complaint)(complaint.subject),
                reporter_name="", is_overdue=state.is_overdue,
                days_left=str(state.working_days_left), days_overdue=str(days_overdue),
                unit_name=complaint.unit.name if complaint.unit else "",
                case_url=case_url(complaint.pk),
            )
            rows = []
            for rung, label, users in rungs:
                rendered = message_render(TemplateCode.ESCALATION, {**context, "rung": label})
                if rendered is None:
                    return len(written)
                rows += [
                    OutboxMessage(
                        complaint=complaint, template_code=TemplateCode.ESCALATION,
                        channel=OutboxChannel.EMAIL, recipient=user.email,
                        subject=_subject(complaint, rendered.subject), body=rendered.body,
                        data={"rung": rung},
                        dedupe_key=f"escalation-{rung}-{complaint.pk}-{today.isoformat()}-"
                                   f"{user.pk}",
                    )
                    for user in users
                ]
            with transaction.atomic():
                new = _insert_new(rows)
                outbox_enqueue_on_commit([row.pk for row in new])
            written.extend(new)
    return len(written)


def _routing_desk_url() -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return public_url(reverse("desk:routing"))
    except NoReverseMatch:
        return public_url("/desk/rute/")


def routing_reminders_queue(*, today: dt.date | None = None) -> int:
    """E-mail each central intake's complaint team (officers and team leads) one digest a
    working day of the cases awaiting routing that are late (past LAPOR!'s 3 working days) or
    reach their limit today or on the next working day (complaints/routing.py); nothing when
    there is none. Once per office, person and day (the dedupe key). Returns the messages
    written."""
    from aduan.complaints.caselist import case_filter
    from aduan.complaints.routing import AWAITING_ROUTING, routing_clock
    from aduan.offices.calendar import calendar_for_office

    today = today or timezone.localdate()
    written: list[OutboxMessage] = []
    for office in Office.objects.filter(is_active=True, is_central_intake=True):
        calendar = calendar_for_office(office.pk)
        if not calendar.is_working_day(today):
            continue  # the team is off; the next working day's run reminds them
        recipients = _reminder_recipients(office)
        if not recipients:
            continue
        waiting = case_filter(Complaint.objects.filter(office=office), AWAITING_ROUTING,
                              office_id=office.pk).order_by("received_at", "id")
        late: list[str] = []
        soon: list[str] = []
        for complaint in waiting.only("id", "register_number", "subject", "received_on",
                                      "received_at"):
            clock = routing_clock(calendar, complaint.received_on, today)
            if not (clock.is_overdue or clock.is_due_soon):
                break  # oldest first: every later case has more time left
            line = _("- %(number)s %(subject)s, diterima %(received)s, batas rute "
                     "%(deadline)s") % {
                "number": complaint.register_number, "subject": complaint.subject[:120],
                "received": format_date(complaint.received_on),
                "deadline": format_date(clock.deadline)}
            if clock.is_overdue:
                late.append(line + _(" (terlambat %(days)s hari kerja)")
                            % {"days": clock.working_days_late})
            else:
                soon.append(line)
        if not late and not soon:
            continue
        lines = [_("Pengaduan di %(office)s yang belum dirutekan ke instansi yang berwenang "
                   "(batas 3 hari kerja sejak diterima), %(date)s.")
                 % {"office": office.name, "date": format_date(today)}, ""]
        for title, items in ((_("Terlambat dirutekan:"), late),
                             (_("Batas rute hari ini atau hari kerja berikutnya:"), soon)):
            if not items:
                continue
            lines.append(title)
            lines.extend(items[:200])
            if len(items) > 200:
                lines.append(_("... dan %(n)s lainnya.") % {"n": len(items) - 200})
            lines.append("")
        lines.append(_("Rutekan di: %(url)s") % {"url": _routing_desk_url()})
        subject = _("Rute pengaduan: %(late)s terlambat, %(soon)s mendekati batas") % {
            "late": len(late), "soon": len(soon)}
        rows = [
            OutboxMessage(
                template_code=TemplateCode.REMINDER, channel=OutboxChannel.EMAIL,
                recipient=user.email, subject=subject[:300], body="\n".join(lines),
                data={"kind": "routing"},
                dedupe_key=f"routing-reminder-{office.pk}-{today.isoformat()}-{user.pk}")
            for user in recipients
        ]
        with transaction.atomic():
            new = _insert_new(rows)
            outbox_enqueue_on_commit([row.pk for row in new])
        written.extend(new)
    return len(written)
