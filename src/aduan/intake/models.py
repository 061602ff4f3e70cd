"""Inbound channel records: every raw payload as it arrived, and the conversations they form."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aduan.core.models import BaseModel
from aduan.offices.models import ChannelKind


class ParseStatus(models.TextChoices):
    """What became of an inbound message. Nothing is ever deleted (SPEC §4.7)."""

    RECEIVED = "received", _("Diterima, belum diproses")
    QUARANTINED = "quarantined", _("Dikarantina: tidak dapat dibaca")
    FAILED = "failed", _("Gagal diproses, dicoba lagi otomatis")
    CREATED = "created", _("Menjadi pengaduan baru")
    JOINED = "joined", _("Bergabung ke pengaduan")
    PROVIDER_STATUS = "provider_status", _("Status pengiriman dari penyedia")
    NEEDS_REVIEW = "needs_review", _("Perlu ditinjau petugas")
    IGNORED = "ignored", _("Diabaikan (pantulan/balasan otomatis)")
    RESOLVED = "resolved", _("Sudah ditangani petugas")


class InboundMessage(BaseModel):
    """One inbound item (a message or status of a provider's batch, a mail, an import row),
    stored raw (minus secrets) before anything parses it, so nothing is ever lost.

    `parsed_at` is empty until the item's adapter has read the raw payload; an item it cannot
    read is QUARANTINED with the reason. Processing then moves it from RECEIVED to its outcome;
    an unexpected failure makes it FAILED, and the sweeper retries RECEIVED and FAILED rows.

    `provider_message_id` is unique per channel kind (WhatsApp wamid, SMS gateway event id,
    e-mail Message-ID, LAPOR! tracking id): a redelivered message finds its row and does nothing.
    """

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+")
    channel_kind = models.CharField(_("channel kind"), max_length=20,
                                    choices=ChannelKind.choices)
    provider = models.CharField(_("provider"), max_length=40,
                                help_text=_("e.g. meta, sms-gate, generic, imap, lapor-form"))
    provider_message_id = models.CharField(_("provider message id"), max_length=255,
                                           blank=True)
    sender = models.CharField(_("sender"), max_length=255, blank=True,
                              help_text=_("Phone number (E.164) or e-mail address."))
    sender_name = models.CharField(_("sender name"), max_length=255, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)
    raw = models.BinaryField(_("raw payload"))
    headers = models.JSONField(_("request headers"), default=dict, blank=True)
    data = models.JSONField(_("parsed data"), default=dict, blank=True)
    parse_status = models.CharField(_("status"), max_length=20, choices=ParseStatus.choices,
                                    default=ParseStatus.RECEIVED)
    error = models.TextField(_("error"), blank=True)
    # Our receipt time (the register date comes from it); the provider's own timestamp is a
    # claim kept beside it and never back-dates a case.
    received_at = models.DateTimeField(_("received at"))
    provider_sent_at = models.DateTimeField(_("provider timestamp"), null=True, blank=True)
    parsed_at = models.DateTimeField(_("parsed at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("processing attempts"), default=0)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="inbound_messages")
    conversation = models.ForeignKey("Conversation", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="messages")
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution_note = models.TextField(_("resolution note"), blank=True)

    class Meta:
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        ordering = ["-received_at", "-id"]
        constraints = [
            # Idempotency: five deliveries of one message make one row.
            models.UniqueConstraint(
                fields=["channel_kind", "provider_message_id"],
                condition=~Q(provider_message_id=""),
                name="unique_inbound_provider_message_id"),
        ]
        indexes = [
            models.Index(fields=["parse_status", "-received_at"], name="inbound_status"),
        ]

    def __str__(self) -> str:
        return f"{self.channel_kind} {self.provider_message_id or self.pk}"


class Conversation(BaseModel):
    """A reporter's thread on one channel address with one office (the office whose number or
    mailbox they wrote to), tied to their open case (SPEC §2)."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    channel_kind = models.CharField(_("channel kind"), max_length=20,
                                    choices=ChannelKind.choices)
    address = models.CharField(_("address"), max_length=255,
                               help_text=_("Phone number (E.164) or e-mail address."))
    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.PROTECT,
                                  related_name="conversations")
    is_open = models.BooleanField(_("open"), default=True)
    last_message_at = models.DateTimeField(_("last message at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            # Per office (issue 18): a reporter writing to two offices' numbers has two
            # conversations, each on the number they wrote to.
            models.UniqueConstraint(fields=["office", "channel_kind", "address"],
                                    condition=Q(is_open=True),
                                    name="one_open_conversation_per_office_address"),
        ]

    def __str__(self) -> str:
        return f"{self.channel_kind}:{self.address} -> {self.complaint_id}"


class MailboxState(BaseModel):
    """How far the IMAP poller has read a mailbox: processed by UID within a UIDVALIDITY."""

    mailbox = models.CharField(_("mailbox"), max_length=300, unique=True,
                               help_text=_("user@host:port/folder"))
    uidvalidity = models.BigIntegerField(default=0)
    last_uid = models.BigIntegerField(default=0)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("mailbox state")
        verbose_name_plural = _("mailbox states")

    def __str__(self) -> str:
        return f"{self.mailbox} uid>{self.last_uid}"


class MediaFetchStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu diambil ulang")
    FETCHED = "fetched", _("Sudah diambil")
    FAILED = "failed", _("Gagal diambil")


class MediaFetch(BaseModel):
    """A channel attachment that could not be fetched with its message (WhatsApp media: the
    Graph API answered 404 or 5xx, the URL expired, the file is oversized or on a host we do not
    trust). The message still made or joined its case; this pending attachment is shown on the
    case page and retried with backoff until it is fetched or fails for good."""

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.PROTECT,
                                  related_name="media_fetches")
    event = models.ForeignKey("complaints.CaseEvent", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    inbound = models.ForeignKey(InboundMessage, on_delete=models.PROTECT,
                                related_name="media_fetches")
    channel_kind = models.CharField(_("channel kind"), max_length=20,
                                    choices=ChannelKind.choices)
    media_id = models.CharField(_("media id"), max_length=100)
    name = models.CharField(_("file name"), max_length=255, blank=True)
    declared_type = models.CharField(_("declared type"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=MediaFetchStatus.choices,
                              default=MediaFetchStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    attachment = models.ForeignKey("complaints.Attachment", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    fetched_at = models.DateTimeField(_("fetched at"), null=True, blank=True)

    class Meta:
        verbose_name = _("pending attachment")
        verbose_name_plural = _("pending attachments")
        ordering = ["created_at", "id"]
        constraints = [
            # One pending attachment per media item of a message: a re-run adds none.
            models.UniqueConstraint(fields=["inbound", "media_id"],
                                    name="unique_media_fetch_per_message"),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="media_fetch_due"),
        ]

    def __str__(self) -> str:
        return f"{self.channel_kind} media {self.media_id} ({self.status})"


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu giliran")
    RUNNING = "running", _("Sedang berjalan")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class LaporImportJob(BaseModel):
    """A SP4N-LAPOR! export being imported in the background (intake/adapters/lapor.py): the
    file until the job has read it, the progress, and the summary (counts, then only the rows
    with problems)."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file name"), max_length=300)
    # Cleared when the job ends: the file itself is kept on an InboundMessage (scrubbed).
    content = models.BinaryField(_("file"), blank=True, default=b"")
    status = models.CharField(_("status"), max_length=20, choices=ImportJobStatus.choices,
                              default=ImportJobStatus.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("recorded"), default=0)
    duplicate_count = models.PositiveIntegerField(_("already recorded"), default=0)
    error_count = models.PositiveIntegerField(_("rows in error"), default=0)
    # [{"row": 5, "kind": "error" | "duplicate", "message": "..."}]
    problems = models.JSONField(_("rows with problems"), default=list, blank=True)
    failure = models.TextField(_("failure"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("LAPOR! import")
        verbose_name_plural = _("LAPOR! imports")
        ordering = ["-created_at"]

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportJobStatus.DONE, ImportJobStatus.FAILED)

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
