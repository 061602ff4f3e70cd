"""Data-subject requests (UU 27/2022): a reporter asks to see, correct, restrict or erase their
personal data; the office, as controller, answers within 3 x 24 hours."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aduan.core.models import BaseModel

ANSWER_WITHIN = dt.timedelta(hours=72)


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Melihat data pribadi")
    CORRECT = "correct", _("Memperbaiki data pribadi")
    RESTRICT = "restrict", _("Membatasi pemrosesan")
    ERASE = "erase", _("Menghapus data pribadi")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Diproses")
    DONE = "done", _("Dipenuhi")
    REFUSED = "refused", _("Ditolak")


class RequestVia(models.TextChoices):
    PORTAL = "portal", _("Halaman lacak (diverifikasi kode sekali pakai)")
    OFFICER = "officer", _("Dicatat petugas")


class DataRequest(BaseModel):
    """One request, registered with its 72-hour limit and worked by an officer."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("nomor"), max_length=40, unique=True)
    reporter = models.ForeignKey("complaints.Reporter", on_delete=models.PROTECT,
                                 related_name="data_requests", verbose_name=_("pelapor"))
    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.PROTECT,
                                  related_name="data_requests", verbose_name=_("pengaduan"))
    kind = models.CharField(_("jenis"), max_length=20, choices=RequestKind.choices)
    via = models.CharField(_("diajukan melalui"), max_length=20, choices=RequestVia.choices)
    detail = models.TextField(_("rincian permintaan"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices,
                              default=RequestStatus.OPEN)
    received_at = models.DateTimeField(_("diterima"))
    due_at = models.DateTimeField(_("batas jawaban"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="+")
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("ditangani oleh"))
    answered_at = models.DateTimeField(_("dijawab"), null=True, blank=True)
    answer = models.TextField(_("jawaban"), blank=True)
    # The portal's one-time code that registered it: a second POST of the same form finds this
    # request instead of registering another.
    challenge = models.OneToOneField("RequestChallenge", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="request")

    class Meta:
        verbose_name = _("permintaan subjek data")
        verbose_name_plural = _("permintaan subjek data")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["office", "status", "due_at"], name="datareq_due")]
        constraints = [
            models.CheckConstraint(condition=models.Q(due_at__gt=models.F("received_at")),
                                   name="datareq_due_after_received"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN


class RequestChallenge(BaseModel):
    """A one-time code sent to the reporter's own channel: with the tracking code it proves the
    person asking holds both (the tracking code alone is not enough to ask about personal
    data). Single use; a few attempts; short-lived. The code is stored only as a keyed hash."""

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.PROTECT,
                                  related_name="+")
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["complaint", "created_at"], name="datareq_challenge")]

    def __str__(self) -> str:
        return f"challenge {self.pk}"


NOTIFY_WITHIN = dt.timedelta(hours=72)


class BreachStatus(models.TextChoices):
    OPEN = "open", _("Terbuka")
    CLOSED = "closed", _("Selesai")


class Breach(BaseModel):
    """A suspected personal data breach (kegagalan pelindungan data pribadi): the office must
    notify the reporters concerned and the supervising authority within 3 x 24 hours of
    discovering it (UU 27/2022). The scope (a date range of receipt, a channel, a unit, a case)
    says whose data was concerned; the notices are drafted from editable texts."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("nomor"), max_length=40, unique=True)
    title = models.CharField(_("judul"), max_length=200)
    description = models.TextField(_("uraian kejadian"))
    data_concerned = models.TextField(
        _("data pribadi yang terdampak"), blank=True,
        help_text=_("Misalnya: nama, nomor telepon dan isi pengaduan."))
    measures = models.TextField(_("upaya penanganan dan pemulihan"), blank=True)
    discovered_at = models.DateTimeField(_("diketahui pada"))
    notify_by = models.DateTimeField(_("batas pemberitahuan"))
    scope_start = models.DateField(_("pengaduan diterima sejak"), null=True, blank=True)
    scope_end = models.DateField(_("pengaduan diterima sampai"), null=True, blank=True)
    scope_channel = models.ForeignKey("offices.Channel", on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="+", verbose_name=_("saluran"))
    scope_unit = models.ForeignKey("offices.Unit", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+", verbose_name=_("bidang"))
    scope_complaint = models.ForeignKey("complaints.Complaint", on_delete=models.PROTECT,
                                        null=True, blank=True, related_name="+",
                                        verbose_name=_("pengaduan"))
    reporter_notice = models.TextField(_("pemberitahuan kepada pelapor"), blank=True)
    authority_notice = models.TextField(_("pemberitahuan kepada lembaga pengawas"), blank=True)
    reporters_notified_at = models.DateTimeField(null=True, blank=True)
    reporters_notified = models.PositiveIntegerField(default=0)
    authority_notified_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=BreachStatus.choices,
                              default=BreachStatus.OPEN)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("insiden data pribadi")
        verbose_name_plural = _("insiden data pribadi")
        ordering = ["-discovered_at", "-id"]

    def __str__(self) -> str:
        return self.number
