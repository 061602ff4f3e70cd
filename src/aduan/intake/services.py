"""Inbound messages to cases: store raw first, then parse, then register or join a case.

Every adapter turns its payload into `Incoming` records and calls `inbound_store`, which
writes the raw bytes before anything can fail (nothing is ever lost) and is idempotent by the
provider's message id. `inbound_process` (run by the task worker) then decides: a new complaint
(`complaints.services.complaint_register`), a message joining the reporter's open case
(`complaint_add_message`), a provider status, a bounce to skip, or a message an officer must
review on the desk page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.accounts.models import User
from aduan.complaints.attachments import (
    MESSAGING_TYPES,
    AttachmentRefused,
    attachment_add,
    attachment_batch,
)
from aduan.complaints.models import CaseEvent, Complaint, Reporter
from aduan.complaints.services import (
    MAX_DESCRIPTION,
    ReporterInput,
    complaint_add_message,
    complaint_register,
    reporter_create,
)
from aduan.complaints.workflow import OPEN_STATUSES
from aduan.core.exceptions import ApplicationError, NotFound, ValidationFailed
from aduan.core.validators import normalize_phone
from aduan.intake.email_threading import email_target
from aduan.intake.models import Conversation, InboundMessage, ParseStatus
from aduan.intake.parsing import (
    clean_display_name,
    match_service_type,
    parse_structured,
    split_anonymous,
)
from aduan.intake.selectors import inbound_visible_to
from aduan.offices.models import Channel, ChannelKind, Office
from aduan.offices.selectors import office_for_inbound

logger = logging.getLogger(__name__)

_SURROGATE = re.compile("[\ud800-\udfff]")
PHONE_KINDS = frozenset({ChannelKind.WHATSAPP, ChannelKind.SMS})
# States the worker and the sweeper may (re)process.
RETRYABLE = (ParseStatus.RECEIVED, ParseStatus.FAILED)
# States an officer may retry, register or mark handled (a RECEIVED row is stuck by then).
OFFICER_ACTIONABLE = (ParseStatus.NEEDS_REVIEW, ParseStatus.QUARANTINED, ParseStatus.FAILED,
                      ParseStatus.RECEIVED)



@dataclass
class IncomingFile:
    """An attachment as the adapter saw it. `content` may be fetched later (WhatsApp media)."""

    name: str
    declared_type: str = ""
    content: bytes | None = None
    ref: dict[str, Any] = field(default_factory=dict)
    # A streamed download (WhatsApp media) instead of `content`, with its size.
    file: IO[bytes] | None = None
    size: int = 0
    # Why the file could not be fetched; `retryable` when a later attempt may succeed.
    error: str = ""
    retryable: bool = False


@dataclass
class RawItem:
    """One item of a provider's payload (a message or status of a batch, an SMS event, a
    mail, an import row), cut out but not read: what is stored first, minus secrets.

    `provider_message_id` is the provider's id when the item names one (else the hash of the
    item, `item_key`, or "" when a repeat must be judged by sender, text and time)."""

    channel_kind: str
    provider: str
    raw: bytes
    provider_message_id: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    # The number or mailbox the item was sent to, most specific first: it decides the office
    # (the channel's office, offices.selectors.office_for_inbound; issue 18).
    addresses: tuple[str, ...] = ()


@dataclass
class Incoming:
    """One inbound message as its adapter read it."""

    channel_kind: str
    provider: str
    raw: bytes
    provider_message_id: str = ""
    sender: str = ""
    sender_name: str = ""
    subject: str = ""
    body: str = ""
    # The provider's own timestamp: kept, never used as our receipt time.
    provider_sent_at: dt.datetime | None = None
    headers: dict[str, str] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    # Set by the adapter when the payload could not be understood: the row is quarantined.
    error: str = ""
    # The number or mailbox it was sent to (see RawItem.addresses).
    addresses: tuple[str, ...] = ()


class StorageFailed(Exception):
    """The database did not take an inbound item: the webhook answers 503 so the provider
    delivers the batch again (the items already stored are recognised)."""


def item_key(raw: bytes) -> str:
    """An idempotency key for an item that names no id of its own: its content hash."""
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def normalize_sender(kind: str, sender: str) -> str:
    """The conversation address: E.164 for phone channels (so it matches Reporter.phone),
    lower-case for e-mail. A number our validator rejects is kept as given."""
    sender = (sender or "").strip()
    if kind == ChannelKind.EMAIL:
        return sender.lower()
    if kind in PHONE_KINDS and sender:
        try:
            return normalize_phone(sender)
        except ValidationError:
            return sender
    return sender


# --------------------------------------------------------------------------------------------
# Storing
# --------------------------------------------------------------------------------------------


def _store(kind: str, pid: str, values: dict[str, Any],
           addresses: tuple[str, ...] = ()) -> tuple[InboundMessage, bool]:
    """Write one row in its own transaction (committed before any processing); idempotent
    by (channel kind, provider message id). Any database failure is `StorageFailed`. The
    office is the one whose channel the item was sent to (else the central intake, or the
    only office; None: every office's review list shows it)."""
    pid = pid[:255]
    try:
        office = office_for_inbound(kind, addresses)
        values = {"office": office, "received_at": timezone.now(), **values}
        if not pid:
            with transaction.atomic():
                return InboundMessage.objects.create(channel_kind=kind, **values), True
        try:
            with transaction.atomic():
                return InboundMessage.objects.get_or_create(
                    channel_kind=kind, provider_message_id=pid, defaults=values)
        except IntegrityError:
            # A concurrent delivery of the same message won the race: it is the same message.
            return InboundMessage.objects.get(channel_kind=kind, provider_message_id=pid), False
    except DatabaseError as exc:
        raise StorageFailed(str(exc)) from exc


def inbound_store_raw(item: RawItem) -> tuple[InboundMessage, bool]:
    """Store an item before anything reads it. Returns (row, created); a redelivery returns
    the first row. The row is RECEIVED and unparsed: `inbound_process` reads it."""
    return _store(item.channel_kind, item.provider_message_id, {
        "provider": item.provider[:40], "raw": item.raw, "headers": item.headers,
        "data": item.data, "parse_status": ParseStatus.RECEIVED}, item.addresses)


def inbound_store(incoming: Incoming) -> tuple[InboundMessage, bool]:
    """Store a message its adapter has already read (LAPOR! entries, tests)."""
    now = timezone.now()
    return _store(incoming.channel_kind, incoming.provider_message_id, {
        "provider": incoming.provider[:40],
        "sender": normalize_sender(incoming.channel_kind, incoming.sender)[:255],
        "sender_name": incoming.sender_name[:255], "subject": incoming.subject[:300],
        "body": incoming.body, "raw": incoming.raw, "headers": incoming.headers,
        "data": incoming.data, "provider_sent_at": incoming.provider_sent_at,
        "parsed_at": now,
        "parse_status": ParseStatus.QUARANTINED if incoming.error else ParseStatus.RECEIVED,
        "error": incoming.error}, incoming.addresses)


# --------------------------------------------------------------------------------------------
# Parsing: each stored item is read by its provider's adapter; an item it cannot read is
# quarantined with the reason (and shown to officers), the others go on.
# --------------------------------------------------------------------------------------------

Parser = Callable[[InboundMessage], Incoming]
_parsers: dict[str, Parser] = {}


def register_parser(provider: str, parser: Parser) -> None:
    _parsers[provider] = parser


def _quarantine(message: InboundMessage, reason: str) -> InboundMessage:
    InboundMessage.objects.filter(pk=message.pk, parse_status__in=RETRYABLE).update(
        parse_status=ParseStatus.QUARANTINED, parsed_at=timezone.now(),
        processed_at=timezone.now(), error=reason[:2000], updated_at=timezone.now())
    return InboundMessage.objects.get(pk=message.pk)


def inbound_parse(message: InboundMessage) -> InboundMessage:
    """Read a stored item with its adapter and keep what it found on the row."""
    parser = _parsers.get(message.provider)
    if parser is None:
        return _quarantine(message, _("Tidak ada pembaca untuk penyedia %(provider)s.")
                           % {"provider": message.provider})
    try:
        incoming = parser(message)
    except Exception as exc:
        logger.warning("inbound %s quarantined: %r", message.pk, exc)
        return _quarantine(message, _("Butir payload tidak dapat dibaca: %(error)s")
                           % {"error": repr(exc)[:300]})
    if incoming.error:
        return _quarantine(message, incoming.error)
    fields = ["sender", "sender_name", "subject", "body", "provider_sent_at", "data",
              "parsed_at", "updated_at"]
    if message.channel_kind in PHONE_KINDS and split_anonymous(str(incoming.body))[0]:
        # The reporter wrote ANONIM: keep the number (the channel needs it to answer), not
        # the profile name, in the row and in the stored payload.
        incoming.data["anonymous"] = True
        incoming.sender_name = ""
        if _forget_identity(message):
            fields.append("raw")
    message.sender = normalize_sender(message.channel_kind, storable(incoming.sender))[:255]
    message.sender_name = storable(incoming.sender_name).strip()[:255]
    message.subject = storable(incoming.subject)[:300]
    message.body = storable(incoming.body)
    message.provider_sent_at = incoming.provider_sent_at
    # What the store step kept (IMAP UID, retries) stays beside what the adapter read.
    message.data = storable_json({**incoming.data, **message.data})
    message.parsed_at = timezone.now()
    with transaction.atomic():
        message.save(update_fields=fields)
    return message


# Per provider: a function that removes the sender's name (not the address the channel needs)
# from a stored payload, for anonymous reporters.
IdentityScrubber = Callable[[bytes], bytes]
_identity_scrubbers: dict[str, IdentityScrubber] = {}


def register_identity_scrubber(provider: str, scrubber: IdentityScrubber) -> None:
    _identity_scrubbers[provider] = scrubber


def _forget_identity(message: InboundMessage) -> bool:
    """Scrub the stored payload of an anonymous reporter's message; True when it changed."""
    scrubber = _identity_scrubbers.get(message.provider)
    if scrubber is None:
        return False
    raw = bytes(message.raw)
    try:
        scrubbed = scrubber(raw)
    except Exception:  # unreadable payload: it is quarantined anyway, the name with it
        logger.warning("inbound %s: payload not scrubbed", message.pk, exc_info=True)
        return False
    if scrubbed == raw:
        return False
    message.raw = scrubbed
    return True


def storable(value: object) -> str:
    """Text every database takes: no NUL (PostgreSQL refuses it) and no lone surrogate (what
    a mail parser makes of undecodable bytes), each replaced by U+FFFD."""
    text = value if isinstance(value, str) else str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = _SURROGATE.sub("\ufffd", text)
    return text.replace("\x00", "\ufffd") if "\x00" in text else text


def storable_json(value: Any) -> Any:
    """`storable` through a JSON value (keys and strings)."""
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, dict):
        return {storable(k): storable_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [storable_json(v) for v in value]
    return value


# --------------------------------------------------------------------------------------------
# Processing
# --------------------------------------------------------------------------------------------

# Per channel kind: a function that returns the message's attachments (fetching them if needed).
FileLoader = Callable[[InboundMessage], list[IncomingFile]]
_file_loaders: dict[str, FileLoader] = {}
# Per channel kind: a function that hands a provider status (delivered/read/failed) onward.
StatusHandler = Callable[[InboundMessage], str]
_status_handlers: dict[str, StatusHandler] = {}


def register_file_loader(kind: str, loader: FileLoader) -> None:
    _file_loaders[kind] = loader


def register_status_handler(kind: str, handler: StatusHandler) -> None:
    _status_handlers[kind] = handler


def inbound_process(*, message_id: int) -> InboundMessage:
    """Read a stored item and turn it into a case, a joined message, a status or a review
    item.

    Safe to run any number of times, from any process: only RECEIVED or FAILED rows are
    processed, under a row lock, and the case and the row's outcome commit together.
    Attachments are fetched before the write transaction (no network I/O while holding the
    database lock). A failure the officer must judge (no channel configured) puts the row in
    review; an unexpected one (database down, a bug) makes it FAILED, which the sweeper
    retries; either way it is never dropped.
    """
    message = InboundMessage.objects.get(pk=message_id)
    if message.parse_status not in RETRYABLE:
        return message
    try:
        if message.parsed_at is None:
            message = inbound_parse(message)
            if message.parse_status not in RETRYABLE:
                return message
        files, file_errors = _load_files(message)
        # The batch removes the files stored for a transaction that rolls back.
        with attachment_batch(), transaction.atomic():
            return _process_locked(message, files, file_errors)
    except ApplicationError as exc:
        logger.warning("inbound %s needs review: %s", message.pk, exc.message)
        return _set_outcome(message.pk, ParseStatus.NEEDS_REVIEW,
                            _("Gagal diproses otomatis: %(reason)s") % {"reason": exc.message})
    except Exception as exc:
        logger.exception("inbound %s could not be processed", message.pk)
        return _set_outcome(message.pk, ParseStatus.FAILED,
                            _("Gagal diproses otomatis: %(reason)s") % {"reason": repr(exc)[:500]})


def _set_outcome(message_id: int, status: str, error: str) -> InboundMessage:
    InboundMessage.objects.filter(pk=message_id, parse_status__in=RETRYABLE).update(
        parse_status=status, processed_at=timezone.now(), error=error,
        attempts=F("attempts") + 1, updated_at=timezone.now())
    return InboundMessage.objects.get(pk=message_id)


def _load_files(message: InboundMessage) -> tuple[list[IncomingFile], list[str]]:
    files: list[IncomingFile] = []
    file_errors: list[str] = []
    if message.data.get("kind", "message") == "message":
        loader = _file_loaders.get(message.channel_kind)
        if loader is not None:
            try:
                files = loader(message)
            except Exception as exc:
                logger.warning("inbound %s: attachments not loaded: %s", message.pk, exc)
                file_errors.append(_("Lampiran tidak dapat diambil: %(error)s")
                                   % {"error": str(exc)[:300]})
    return files, file_errors


def _finish(message: InboundMessage, status: str, *, error: str = "",
            complaint: Complaint | None = None,
            conversation: Conversation | None = None) -> InboundMessage:
    message.parse_status = status
    message.error = "\n".join(e for e in [message.error, error] if e)
    message.processed_at = timezone.now()
    message.complaint = complaint or message.complaint
    message.conversation = conversation or message.conversation
    fields = ["parse_status", "error", "processed_at", "complaint", "conversation",
              "updated_at"]
    if message.complaint is not None and message.office_id != message.complaint.office_id:
        # A message that joins a case belongs to the case's office (a reply reaching the
        # central number after the case was forwarded, or another office's mailbox).
        message.office_id = message.complaint.office_id
        fields.append("office")
    message.save(update_fields=fields)
    return message


def _process_locked(  # noqa: PLR0911 (one early exit per outcome reads best)
        stored: InboundMessage, files: list[IncomingFile],
        file_errors: list[str]) -> InboundMessage:
    # The sender's lock first, then the row's: the same order in every process.
    _lock_address(stored.channel_kind, stored.sender)
    message = InboundMessage.objects.select_for_update().get(pk=stored.pk)
    if message.parse_status not in RETRYABLE:
        return message
    _clear_failure(message)
    message.error = "\n".join(e for e in [message.error, *file_errors] if e)
    kind = message.data.get("kind", "message")
    if kind == "status":
        handler = _status_handlers.get(message.channel_kind)
        note = handler(message) if handler else ""
        return _finish(message, ParseStatus.PROVIDER_STATUS, error=note)
    if message.data.get("skip_reason"):
        # Bounces name the outbound message they bounce; the outbox marks it failed.
        handler = _status_handlers.get(message.channel_kind)
        note = handler(message) if handler and message.data.get("outbound_id") else ""
        return _finish(message, ParseStatus.IGNORED, error=note)
    if kind != "message":
        return _finish(message, ParseStatus.NEEDS_REVIEW,
                       error=_("Jenis pesan tidak didukung: %(kind)s") % {"kind": kind})
    office = message.office
    if office is None:
        # No channel named an office and there is no central intake: an officer decides.
        return _finish(message, ParseStatus.NEEDS_REVIEW,
                       error=_("Kantor tujuan pesan tidak dapat ditentukan dari salurannya."))
    if not message.sender:
        return _finish(message, ParseStatus.NEEDS_REVIEW,
                       error=_("Pengirim pesan tidak diketahui."))
    if not (message.body.strip() or message.subject.strip()) and not files:
        return _finish(message, ParseStatus.NEEDS_REVIEW,
                       error=_("Pesan kosong atau jenis pesan tidak didukung."))

    duplicate = _duplicate_of(message)
    if duplicate is not None:
        return _finish(message, ParseStatus.IGNORED, complaint=duplicate.complaint,
                       error=_("Duplikat pesan #%(id)s (pengirim, teks dan waktu sama).")
                       % {"id": duplicate.pk})
    parts = _assemble_parts(message) if message.data.get("concat") else []
    if parts is None:
        return message  # waiting for the other parts (the sweeper comes back)
    target = _target_complaint(message, office)
    if isinstance(target, str):
        return _finish(message, ParseStatus.NEEDS_REVIEW, error=target)
    if target is not None:
        complaint, conversation = target
        if complaint.reporter.is_anonymous and message.channel_kind in PHONE_KINDS:
            # A later message of an anonymous reporter keeps their name no more than the first.
            _forget_identity(message)
            message.sender_name = ""
            message.save(update_fields=["raw", "sender_name", "updated_at"])
        event = complaint_add_message(
            complaint_id=complaint.pk, body=_message_text(message, files),
            data=_event_data(message), at=message.received_at)
        errors = _store_files(complaint, event, files, message)
        _finish_parts(parts, message, complaint)
        return _finish(message, ParseStatus.JOINED, complaint=complaint,
                       conversation=conversation, error="\n".join(errors))
    complaint = _register(message, office, files)
    received = complaint.events.order_by("created_at", "id").first()
    errors = _store_files(complaint, received, files, message)
    conversation = _open_conversation(message, office, complaint)
    _finish_parts(parts, message, complaint)
    return _finish(message, ParseStatus.CREATED, complaint=complaint, conversation=conversation,
                   error="\n".join(errors))


def _clear_failure(message: InboundMessage) -> None:
    """A FAILED row tried again: its earlier failure is history, not part of the outcome."""
    if message.parse_status == ParseStatus.FAILED:
        failures = [*(message.data.get("failures") or []), message.error][-10:]
        message.data = {**message.data, "failures": failures}
        message.error = ""
        message.save(update_fields=["data", "error", "updated_at"])


def _duplicate_of(message: InboundMessage) -> InboundMessage | None:
    """A message without a provider id that repeats one already placed on a case: same
    sender and text within `ADUAN_INBOUND_DUPLICATE_SECONDS` of our receipt time (gateways
    without ids redeliver after a timeout)."""
    if message.provider_message_id or not message.sender or message.data.get("concat"):
        return None
    window = dt.timedelta(seconds=settings.ADUAN_INBOUND_DUPLICATE_SECONDS)
    return (InboundMessage.objects
            .filter(channel_kind=message.channel_kind, provider_message_id="",
                    sender=message.sender, body=message.body, subject=message.subject,
                    parse_status__in=[ParseStatus.CREATED, ParseStatus.JOINED],
                    received_at__gte=message.received_at - window,
                    received_at__lte=message.received_at + window)
            .exclude(pk=message.pk).order_by("pk").first())


def _assemble_parts(message: InboundMessage) -> list[InboundMessage] | None:
    """A concatenated SMS (UDH reference, part, total): when every part is in, or the
    window `ADUAN_SMS_CONCAT_SECONDS` has passed, the parts' texts in order become this
    message's text and the other parts are returned to follow it; otherwise None (wait)."""
    concat = message.data["concat"]
    window = dt.timedelta(seconds=settings.ADUAN_SMS_CONCAT_SECONDS)
    rows = list(InboundMessage.objects.select_for_update()
                .filter(channel_kind=message.channel_kind, sender=message.sender,
                        data__concat__ref=concat["ref"], data__concat__total=concat["total"],
                        parse_status__in=RETRYABLE, parsed_at__isnull=False,
                        received_at__gte=message.received_at - window,
                        received_at__lte=message.received_at + window)
                .order_by("pk"))
    by_part: dict[int, InboundMessage] = {}
    for row in [message, *rows]:
        by_part.setdefault(int(row.data["concat"]["part"]), row)
    total = int(concat["total"])
    complete = all(n in by_part for n in range(1, total + 1))
    if not complete and message.received_at > timezone.now() - window:
        return None
    texts = []
    for n in range(1, total + 1):
        part = by_part.get(n)
        texts.append(part.body if part is not None else
                     _("[bagian %(part)s dari %(total)s tidak diterima]")
                     % {"part": n, "total": total})
    message.body = "".join(texts)
    message.data = {**message.data, "parts": sorted(r.pk for r in by_part.values())}
    message.save(update_fields=["body", "data", "updated_at"])
    return [row for row in rows if row.pk != message.pk]


def _finish_parts(parts: list[InboundMessage], carrier: InboundMessage,
                  complaint: Complaint) -> None:
    """The other parts of a concatenated SMS follow the part that carried the text; a part
    the gateway delivered twice is a duplicate."""
    assembled = set(carrier.data.get("parts") or [])
    for part in parts:
        part.data = {**part.data, "assembled_into": carrier.pk}
        if part.pk in assembled:
            _finish(part, ParseStatus.JOINED, complaint=complaint)
        else:
            _finish(part, ParseStatus.IGNORED, complaint=complaint,
                    error=_("Duplikat bagian SMS gabungan #%(id)s.") % {"id": carrier.pk})


def _lock_address(kind: str, address: str) -> None:
    """Serialise the processing of one sender's messages until this transaction ends, so two
    messages arriving together cannot both start a case. SQLite transactions here are
    IMMEDIATE (one writer at a time) already; PostgreSQL takes an advisory lock."""
    if connection.vendor != "postgresql":
        return
    digest = hashlib.sha256(f"intake:{kind}:{address}".encode()).digest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)",
                       [int.from_bytes(digest[:8], "big", signed=True)])


def _event_data(message: InboundMessage) -> dict[str, Any]:
    return {"channel_kind": message.channel_kind, "inbound_id": message.pk,
            "provider": message.provider,
            "provider_message_id": message.provider_message_id}


def _message_text(message: InboundMessage, files: list[IncomingFile], *,
                  with_subject: bool = True) -> str:
    body = message.body.strip()
    if with_subject and message.channel_kind == ChannelKind.EMAIL and message.subject:
        body = f"{message.subject}\n\n{body}".strip()
    if not body and message.subject:
        body = message.subject
    if not body:
        names = ", ".join(clean_display_name(f.name) for f in files)
        body = _("(lampiran tanpa teks: %(names)s)") % {"names": names}
    if len(body) > MAX_DESCRIPTION:
        body = body[: MAX_DESCRIPTION - 200] + "\n\n" + _(
            "[Teks dipotong; teks lengkap tersimpan pada pesan masuk #%(id)s.]"
        ) % {"id": message.pk}
    return body


def _target_complaint(message: InboundMessage,
                      office: Office) -> tuple[Complaint, Conversation | None] | str | None:
    """Where a message goes: (complaint, conversation) to join, None for a new case, or a
    reason string to put it in front of an officer. E-mail threads only by our reply token
    and the sender's address (`email_threading`), never by From or the subject alone."""
    if message.channel_kind == ChannelKind.EMAIL:
        target = email_target(message, office)
        if isinstance(target, Complaint):
            return target, _conversation_for(message, office, target)
        return target
    # The conversation on THIS office's number (it began here; its case may have been
    # forwarded since, and the message then follows the case): another office's number is
    # another conversation.
    conversation = (Conversation.objects.select_for_update()
                    .select_related("complaint")
                    .filter(channel_kind=message.channel_kind, address=message.sender,
                            office=office, is_open=True).first())
    if conversation is not None:
        if conversation.complaint.status in OPEN_STATUSES:
            conversation.last_message_at = message.received_at
            conversation.save(update_fields=["last_message_at", "updated_at"])
            return conversation.complaint, conversation
        # The case was settled: this thread is over, the next message starts a new case.
        conversation.is_open = False
        conversation.closed_at = timezone.now()
        conversation.save(update_fields=["is_open", "closed_at", "updated_at"])
    # The same reporter's open case from another channel (the web form, a walk-in).
    # Reporters first (indexed by phone and e-mail), then their cases: joined in one query the
    # planner walks the inbox index over every complaint instead.
    reporters = Reporter.objects.filter(
        **({"email": message.sender.lower()} if message.channel_kind == ChannelKind.EMAIL
           else {"phone": message.sender}))
    reporter_ids = list(reporters.values_list("pk", flat=True)[:200])
    complaint = (Complaint.objects.filter(office=office, status__in=OPEN_STATUSES,
                                          reporter_id__in=reporter_ids)
                 .order_by("-received_at", "-id").first()) if reporter_ids else None
    if complaint is not None:
        return complaint, _open_conversation(message, office, complaint)
    return None


def _conversation_for(message: InboundMessage, office: Office,
                      complaint: Complaint) -> Conversation:
    existing = (Conversation.objects.select_for_update()
                .filter(channel_kind=message.channel_kind, address=message.sender,
                        office=office, is_open=True).first())
    if existing is not None and existing.complaint_id == complaint.pk:
        existing.last_message_at = message.received_at
        existing.save(update_fields=["last_message_at", "updated_at"])
        return existing
    return _open_conversation(message, office, complaint)


def _open_conversation(message: InboundMessage, office: Office,
                       complaint: Complaint) -> Conversation:
    """Open the thread of (office, channel kind, address) on `complaint`, closing an older
    one with this office. Another office's thread with the same address stays open: the
    reporter wrote to two offices' numbers (issue 18)."""
    Conversation.objects.filter(channel_kind=message.channel_kind, address=message.sender,
                                office=office, is_open=True).exclude(
        complaint=complaint).update(is_open=False, closed_at=timezone.now())
    conversation, _created = Conversation.objects.get_or_create(
        channel_kind=message.channel_kind, address=message.sender, office=office,
        is_open=True, defaults={"complaint": complaint,
                                "last_message_at": message.received_at})
    return conversation


def channel_for_kind(office: Office, kind: str) -> Channel | None:
    """The office's channel for an inbound kind. SMS falls back to the WhatsApp channel (the
    seed office has one "SMS / WA" channel); e-mail prefers the channel whose contact is the
    polled mailbox."""
    channels = Channel.objects.filter(office=office, is_active=True).order_by("order", "pk")
    if kind == ChannelKind.EMAIL and settings.IMAP_USER:
        by_contact = channels.filter(kind=kind, contact__iexact=settings.IMAP_USER).first()
        if by_contact is not None:
            return by_contact
    channel = channels.filter(kind=kind).first()
    if channel is None and kind == ChannelKind.SMS:
        channel = channels.filter(kind=ChannelKind.WHATSAPP).first()
    return channel


def _reporter_for(message: InboundMessage, name: str, *, anonymous: bool = False) -> Reporter:
    """A reporter from the sender's address. Providers vouch for the number (Meta's wa_id),
    so a number our validator does not know is kept as the provider gave it. An anonymous
    reporter (the ANONIM keyword) keeps only the number, to be answered on."""
    name = (name or message.sender_name or "").strip()[:200]
    if message.channel_kind == ChannelKind.EMAIL:
        email = message.sender
        try:
            from django.core.validators import validate_email

            validate_email(email)
        except ValidationError:
            email = ""
        return reporter_create(data=ReporterInput(name=name, email=email), at=timezone.now())
    try:
        phone = normalize_phone(message.sender)
    except ValidationError:
        phone = ""
    reporter = reporter_create(data=ReporterInput(name=name, phone=phone,
                                                  is_anonymous=anonymous),
                               at=timezone.now())
    if not phone:
        reporter.phone = message.sender[:20]
        reporter.save(update_fields=["phone", "updated_at"])
    return reporter


def _register(message: InboundMessage, office: Office, files: list[IncomingFile]) -> Complaint:
    channel = channel_for_kind(office, message.channel_kind)
    if channel is None:
        raise ValidationFailed(_("Kantor belum memiliki saluran %(kind)s yang aktif.")
                               % {"kind": ChannelKind(message.channel_kind).label})
    anonymous, text = (split_anonymous(message.body) if message.channel_kind in PHONE_KINDS
                       else (False, message.body))
    parsed = parse_structured(text)
    service_type = None
    data = {"inbound_id": message.pk, "channel_kind": message.channel_kind,
            "structured": parsed.is_structured}
    description = _message_text(message, files, with_subject=False)
    if anonymous:
        data["anonymous_keyword"] = True
        description = text.strip() or description
    subject = message.subject if message.channel_kind == ChannelKind.EMAIL else ""
    if parsed.is_structured:
        service_type = match_service_type(office, parsed.service_text)
        description = parsed.description
        data["service_text"] = parsed.service_text
        if service_type is None:
            description = _("Jenis perizinan: %(service)s\n\n%(text)s") % {
                "service": parsed.service_text, "text": description}
    elif parsed.problem:
        data["structured_problem"] = parsed.problem
    reporter = _reporter_for(message, parsed.reporter_name, anonymous=anonymous)
    return complaint_register(
        office=office, channel=channel, subject=subject, description=description,
        reporter=reporter, received_at=min(message.received_at, timezone.now()),
        service_type=service_type, company_name=parsed.company_name, data=data)


def _store_files(complaint: Complaint, event: CaseEvent | None, files: list[IncomingFile],
                 message: InboundMessage) -> list[str]:
    """Store attachments checked by content; returns the reasons for any refused. A channel
    file that could not be fetched (or was refused) becomes a pending attachment on the case,
    shown to officers and retried while a retry can help."""
    from aduan.intake.media_fetches import media_fetch_record

    errors = []
    for item in files:
        if item.error:
            errors.append(_("Lampiran \u201c%(name)s\u201d belum dapat diambil: %(reason)s")
                          % {"name": clean_display_name(item.name), "reason": item.error})
            if item.ref.get("media_id"):
                media_fetch_record(complaint=complaint, event=event, message=message,
                                   item=item)
            continue
        upload = (File(item.file, name=clean_display_name(item.name)) if item.file is not None
                  else ContentFile(item.content or b"", name=clean_display_name(item.name)))
        if item.file is not None:
            upload.size = item.size
        try:
            attachment_add(complaint=complaint, file=upload, event=event,
                           allowed=MESSAGING_TYPES)
        except AttachmentRefused as refusal:
            errors.append(_("Lampiran ditolak: %(reason)s") % {"reason": refusal.message})
            if item.ref.get("media_id"):
                item.error, item.retryable = refusal.message, False
                media_fetch_record(complaint=complaint, event=event, message=message,
                                   item=item)
        finally:
            if item.file is not None:
                item.file.close()
    return errors


# --------------------------------------------------------------------------------------------
# The sweeper: nothing stays unprocessed because a worker died or a queue refused a task
# --------------------------------------------------------------------------------------------

# A FAILED row is retried this many times by the sweeper (with growing pauses); after that it
# waits in the review list for an officer.
MAX_AUTOMATIC_ATTEMPTS = 5


def inbound_sweep(*, older_than: dt.timedelta | None = None,
                  limit: int = 500) -> dict[str, int]:
    """Process again every row left RECEIVED longer than `older_than` (default
    `ADUAN_INBOUND_STUCK_SECONDS`) and every FAILED row whose pause is over, on every channel.
    Idempotent: processing takes the row's lock and only moves RECEIVED or FAILED rows, so a
    worker processing the same row at the same time makes no second case."""
    stuck_after = older_than if older_than is not None else dt.timedelta(
        seconds=settings.ADUAN_INBOUND_STUCK_SECONDS)
    now = timezone.now()
    ids = list(InboundMessage.objects
               .filter(parse_status=ParseStatus.RECEIVED, received_at__lte=now - stuck_after)
               .order_by("received_at", "pk").values_list("pk", flat=True)[:limit])
    failed = (InboundMessage.objects
              .filter(parse_status=ParseStatus.FAILED, attempts__lt=MAX_AUTOMATIC_ATTEMPTS)
              .order_by("updated_at", "pk").values_list("pk", "attempts", "updated_at")[:limit])
    # Pauses double with every attempt: 1, 2, 4, 8 times the stuck age.
    ids += [pk for pk, attempts, updated_at in failed
            if updated_at <= now - stuck_after * 2 ** max(attempts - 1, 0)]
    result = {"swept": 0, "processed": 0, "waiting": 0}
    for pk in ids:
        result["swept"] += 1
        message = inbound_process(message_id=pk)
        result["waiting" if message.parse_status in RETRYABLE else "processed"] += 1
    if result["swept"]:
        logger.info("inbound sweep: %s", result)
    return result


# --------------------------------------------------------------------------------------------
# Officer actions on the review list (desk page)
# --------------------------------------------------------------------------------------------


def _check_team(actor: User) -> None:
    from aduan.core.exceptions import PermissionDenied

    if not actor.is_complaint_team:
        raise PermissionDenied(_("Hanya tim pengaduan yang dapat menangani pesan masuk."))


def _message_for_update(actor: User, message_id: int) -> InboundMessage:
    """The message locked, if the actor may act on it (`inbound_visible_to`); NotFound
    otherwise: another office's message answers as one that does not exist."""
    message = inbound_visible_to(actor).select_for_update().filter(pk=message_id).first()
    if message is None:
        raise NotFound()
    return message


@transaction.atomic
def inbound_resolve(*, message_id: int, actor: User, note: str) -> InboundMessage:
    """The officer has dealt with a message by hand (answered it, judged it spam)."""
    _check_team(actor)
    message = _message_for_update(actor, message_id)
    if message.parse_status not in OFFICER_ACTIONABLE:
        raise ValidationFailed(_("Pesan ini sudah ditangani."))
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(_("Tuliskan catatan penanganan."))
    message.parse_status = ParseStatus.RESOLVED
    message.resolved_by = actor
    message.resolved_at = timezone.now()
    message.resolution_note = note
    message.save(update_fields=["parse_status", "resolved_by", "resolved_at",
                                "resolution_note", "updated_at"])
    return message


def inbound_retry(*, message_id: int, actor: User) -> InboundMessage:
    """Process a review item again: a stuck, failed or quarantined item, or one whose media
    download failed or whose channel configuration was fixed. A quarantined item is read
    again by its adapter. The earlier error stays in the record's history."""
    _check_team(actor)
    with transaction.atomic():
        message = _message_for_update(actor, message_id)
        if message.parse_status not in OFFICER_ACTIONABLE or message.complaint_id:
            raise ValidationFailed(_("Pesan ini sudah ditangani."))
        history = list(message.data.get("retries") or [])
        history.append({"at": timezone.now().isoformat(), "by": actor.username,
                        "status": message.parse_status, "error": message.error})
        message.data = {**message.data, "retries": history}
        if message.parse_status == ParseStatus.QUARANTINED:
            message.parsed_at = None
        message.parse_status = ParseStatus.RECEIVED
        message.error = ""
        message.save(update_fields=["data", "parse_status", "error", "parsed_at",
                                    "updated_at"])
    return inbound_process(message_id=message.pk)


@transaction.atomic
def inbound_register_complaint(*, message_id: int, actor: User, description: str,
                               reporter_name: str = "") -> Complaint:
    """Register a case from a message the machine could not place (officer's decision)."""
    _check_team(actor)
    message = _message_for_update(actor, message_id)
    if message.parse_status not in OFFICER_ACTIONABLE:
        raise ValidationFailed(_("Pesan ini sudah ditangani."))
    # A message no office could be told for becomes a case of the officer's own office.
    office = message.office or actor.office
    if office is None:
        raise ValidationFailed(_("Belum ada kantor yang dikonfigurasi."))
    channel = channel_for_kind(office, message.channel_kind)
    if channel is None:
        raise ValidationFailed(_("Kantor belum memiliki saluran %(kind)s yang aktif.")
                               % {"kind": ChannelKind(message.channel_kind).label})
    reporter = _reporter_for(message, reporter_name) if message.sender else ReporterInput(
        name=reporter_name)
    complaint = complaint_register(
        office=office, channel=channel, subject=message.subject,
        description=description or message.body, reporter=reporter,
        received_at=min(message.received_at, timezone.now()), created_by=actor,
        data={"inbound_id": message.pk, "channel_kind": message.channel_kind})
    message.parse_status = ParseStatus.RESOLVED
    message.complaint = complaint
    message.resolved_by = actor
    message.resolved_at = timezone.now()
    message.resolution_note = _("Didaftarkan sebagai pengaduan %(number)s.") % {
        "number": complaint.register_number}
    message.save(update_fields=["parse_status", "complaint", "resolved_by", "resolved_at",
                                "resolution_note", "updated_at"])
    if message.sender:
        _open_conversation(message, office, complaint)
    return complaint
