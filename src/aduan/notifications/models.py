"""The outbox (every outbound message, its delivery state) and the editable message templates."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.template import TemplateSyntaxError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aduan.core.models import BaseModel


class OutboxChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu dikirim")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    DELIVERED = "delivered", _("Diterima")
    READ = "read", _("Dibaca")
    FAILED = "failed", _("Gagal")


# Provider statuses only move forward: a late "delivered" never overwrites "read".
STATUS_RANK = {
    OutboxStatus.PENDING: 0,
    OutboxStatus.SENDING: 1,
    OutboxStatus.SENT: 2,
    OutboxStatus.DELIVERED: 3,
    OutboxStatus.READ: 4,
    OutboxStatus.FAILED: 5,
}


class TemplateCode(models.TextChoices):
    """Which message a template writes; one row per code (and channel family)."""

    RECEIPT = "receipt", _("Tanda terima pengaduan")
    COMPLETION_REQUEST = "completion_request", _("Permintaan melengkapi")
    DOCUMENTS_REQUEST = "documents_request", _("Permintaan dokumen tambahan")
    DOCUMENTS_LAPSED = "documents_lapsed", _("Batas dokumen tambahan lewat")
    REFERRAL = "referral", _("Rujukan ke instansi lain")
    ANSWER = "answer", _("Jawaban langsung")
    RESPONSE = "response", _("Tanggapan")
    CLOSURE = "closure", _("Penutupan")
    WITHDRAWN = "withdrawn", _("Dianggap dicabut")
    MESSAGE = "message", _("Pesan petugas")
    REMINDER = "reminder", _("Pengingat tenggat (untuk petugas)")
    ESCALATION = "escalation", _("Eskalasi tenggat (untuk bidang dan pimpinan)")
    RIGHTS_CODE = "rights_code", _("Kode verifikasi permintaan data pribadi")
    RIGHTS_RECEIVED = "rights_received", _("Permintaan data pribadi diterima")
    RIGHTS_ANSWER = "rights_answer", _("Jawaban permintaan data pribadi")
    BREACH_NOTICE = "breach_notice", _("Pemberitahuan kegagalan pelindungan data pribadi")
    FORWARDED = "forwarded", _("Pengaduan diteruskan ke instansi lain")
    FORWARD_RETURNED = "forward_returned", _("Penerusan ditolak: pengaduan kembali")
    FORWARD_REFUSED = "forward_refused", _("Penerusan ditolak (untuk petugas pengirim)")
    FORWARD_RECEIVED = "forward_received", _("Pengaduan masuk dari instansi lain (untuk "
                                             "petugas penerima)")


class OutboxMessage(BaseModel):
    """One message to one recipient on one channel, written in the transaction of the event
    that causes it and delivered by `tasks.deliver_outbox_message` (see services.py)."""

    complaint = models.ForeignKey(
        "complaints.Complaint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outbox_messages",
        verbose_name=_("pengaduan"),
    )
    case_event = models.ForeignKey(
        "complaints.CaseEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outbox_messages",
        verbose_name=_("peristiwa kasus"),
    )
    template_code = models.CharField(_("jenis pesan"), max_length=40, choices=TemplateCode.choices)
    channel = models.CharField(_("saluran"), max_length=20, choices=OutboxChannel.choices)
    recipient = models.CharField(_("penerima"), max_length=254)
    subject = models.CharField(_("subjek"), max_length=300, blank=True)
    body = models.TextField(_("isi pesan"))
    # Data a channel needs beyond the text, e.g. WhatsApp template parameters.
    data = models.JSONField(_("data"), default=dict, blank=True)
    # Makes writing idempotent: one row per (event, channel) or (reminder, case, day, user).
    dedupe_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), default=timezone.now)
    enqueued_at = models.DateTimeField(_("masuk antrean"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("mulai dikirim"), null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    provider_message_id = models.CharField(_("id pesan penyedia"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("waktu terkirim"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("waktu diterima"), null=True, blank=True)
    read_at = models.DateTimeField(_("waktu dibaca"), null=True, blank=True)
    failed_at = models.DateTimeField(_("waktu gagal"), null=True, blank=True)

    class Meta:
        verbose_name = _("pesan keluar")
        verbose_name_plural = _("pesan keluar")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["complaint", "created_at"], name="outbox_complaint"),
            models.Index(fields=["provider_message_id"], name="outbox_provider_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in OutboxStatus]),
                name="outbox_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.channel} {self.get_status_display()}"


def _check_syntax(text: str) -> None:
    from aduan.notifications.rendering import compile_template

    try:
        compile_template(text)
    except TemplateSyntaxError as exc:
        raise ValidationError(
            _("Templat tidak valid: %(error)s") % {"error": exc}, code="template_syntax"
        ) from exc


class MessageTemplate(BaseModel):
    """An Indonesian message text the administrator edits in the admin.

    Rendered with Django's template language from a small, safe context of plain strings (see
    rendering.CONTEXT_HELP); `short_body` is used for WhatsApp and SMS when filled.
    """

    code = models.CharField(
        _("jenis pesan"), max_length=40, choices=TemplateCode.choices, unique=True
    )
    subject = models.CharField(
        _("subjek e-mail"),
        max_length=300,
        blank=True,
        help_text=_("Nomor register ditambahkan otomatis di depan subjek."),
    )
    body = models.TextField(_("isi (e-mail)"))
    short_body = models.TextField(_("isi singkat (WhatsApp/SMS)"), blank=True)
    is_active = models.BooleanField(
        _("aktif"),
        default=True,
        help_text=_("Jika tidak aktif, pesan ini tidak dikirim sama sekali."),
    )

    class Meta:
        verbose_name = _("templat pesan")
        verbose_name_plural = _("templat pesan")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.get_code_display()

    def clean(self) -> None:
        for text in (self.subject, self.body, self.short_body):
            _check_syntax(text)


class ReplyToken(BaseModel):
    """The secret in the Reply-To address (`pengaduan+<token>@…`) and subject (`[ref:<token>]`)
    of the mail we send a reporter about a case. A reply joins the case only when it carries
    the token AND comes from the address the token was issued to (issue 14: a forged From
    plus a case number in the subject is not enough)."""

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.PROTECT,
                                  related_name="reply_tokens", verbose_name=_("pengaduan"))
    email = models.EmailField(_("alamat pelapor"), max_length=254)
    token = models.CharField(_("token balasan"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("token balasan e-mail")
        verbose_name_plural = _("token balasan e-mail")
        constraints = [
            models.UniqueConstraint(fields=["complaint", "email"],
                                    name="one_reply_token_per_case_address"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}:{self.token[:4]}…"
