"""The audit trail of staff security events: every authorization denial (and, later, other
security-relevant acts) with who, what, which object, when and from where."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aduan.core.models import BaseModel


class AuditKind(models.TextChoices):
    DENIAL = "denial", _("Penolakan akses")
    PERSONAL_DATA = "personal_data", _("Data pribadi (permintaan subjek data, insiden)")


class Surface(models.TextChoices):
    """Where the request came in; derived from the path."""

    DESK = "desk", _("Meja kerja")
    RIGHTS = "rights", _("Hak subjek data")
    DOCUMENTS = "documents", _("Dokumen")
    REPORTS = "reports", _("Laporan dan ekspor")
    CHANNELS = "channels", _("Saluran")
    API = "api", _("API")
    ADMIN = "admin", _("Administrasi")
    OTHER = "other", _("Lainnya")


class AuditRecord(BaseModel):
    """One audited event. Append-only: nothing updates or deletes a record (the admin shows
    them read-only)."""

    kind = models.CharField(_("kind"), max_length=30, choices=AuditKind.choices,
                            default=AuditKind.DENIAL)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+", verbose_name=_("user"))
    # Kept as text too: the record outlives a deleted account.
    username = models.CharField(_("username"), max_length=150, blank=True)
    office = models.ForeignKey("offices.Office", on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+", verbose_name=_("office"))
    surface = models.CharField(_("surface"), max_length=20, choices=Surface.choices,
                               default=Surface.OTHER)
    action = models.CharField(_("action"), max_length=100)
    object_type = models.CharField(_("object type"), max_length=40, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=10, blank=True)
    path = models.CharField(_("path"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["office", "-created_at"], name="audit_office_time"),
            models.Index(fields=["user", "-created_at"], name="audit_user_time"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        target = f" {self.object_type} {self.object_id}".rstrip()
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.username or '-'} {self.action}{target}"
