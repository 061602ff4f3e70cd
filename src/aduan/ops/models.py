"""Operations settings kept as data: the scheduled backup and its retention."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from aduan.core.models import BaseModel


class BackupSettings(BaseModel):
    """One row: how often the worker takes a backup and how many archives it keeps. The
    directory comes from the environment (ADUAN_BACKUP_DIR), not from the admin, because it is
    a path on the servers."""

    is_enabled = models.BooleanField(_("cadangan terjadwal aktif"), default=True)
    interval_hours = models.PositiveSmallIntegerField(
        _("selang pencadangan (jam)"), default=24,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 7)])
    keep_count = models.PositiveSmallIntegerField(
        _("jumlah arsip cadangan yang disimpan"), default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Arsip yang lebih lama dihapus setelah pencadangan berhasil."))
    last_success_at = models.DateTimeField(_("cadangan terakhir berhasil"), null=True,
                                           blank=True, editable=False)
    last_archive = models.CharField(_("arsip terakhir"), max_length=300, blank=True,
                                    editable=False)
    last_error = models.TextField(_("galat terakhir"), blank=True, editable=False)
    last_attempt_at = models.DateTimeField(_("percobaan terakhir"), null=True, blank=True,
                                           editable=False)

    class Meta:
        verbose_name = _("pengaturan cadangan")
        verbose_name_plural = _("pengaturan cadangan")

    def __str__(self) -> str:
        return str(_("Pengaturan cadangan"))

    @classmethod
    def load(cls) -> BackupSettings:
        row = cls.objects.order_by("pk").first()
        return row if row is not None else cls.objects.get_or_create(pk=1)[0]
