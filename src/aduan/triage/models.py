"""Triage configuration (an office's terms mapped to the public taxonomy) and model versions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from aduan.core.models import BaseModel
from aduan.triage import taxonomy


def category_choices() -> list[tuple[str, str]]:
    return [(label.code, label.label) for label in taxonomy.labels()["category"]]


def authority_choices() -> list[tuple[str, str]]:
    return [(label.code, label.label) for label in taxonomy.labels()["authority"]]


class ServiceTypeLabel(BaseModel):
    """Which taxonomy category (and authority) one of the office's service types is."""

    service_type = models.OneToOneField("offices.ServiceType", on_delete=models.CASCADE,
                                        related_name="triage_label",
                                        verbose_name=_("service type"))
    category = models.CharField(_("category"), max_length=40, choices=category_choices)
    authority = models.CharField(_("authority"), max_length=40, choices=authority_choices,
                                 default=taxonomy.OUR_AUTHORITY)

    class Meta:
        verbose_name = _("service type mapping")
        verbose_name_plural = _("service type mappings")

    def __str__(self) -> str:
        return f"{self.service_type} → {self.category}"


class UnitLabel(BaseModel):
    """The taxonomy categories a unit handles (besides its service types' categories)."""

    unit = models.OneToOneField("offices.Unit", on_delete=models.CASCADE,
                                related_name="triage_label", verbose_name=_("unit"))
    categories = models.JSONField(_("categories"), default=list, blank=True,
                                  help_text=_("Kode kategori taksonomi, mis. sistem_error."))

    class Meta:
        verbose_name = _("unit mapping")
        verbose_name_plural = _("unit mappings")

    def __str__(self) -> str:
        return f"{self.unit} → {', '.join(self.categories)}"


class AgencyLabel(BaseModel):
    """Which taxonomy authority a referral agency of the office's directory is."""

    agency = models.OneToOneField("offices.ReferralAgency", on_delete=models.CASCADE,
                                  related_name="triage_label", verbose_name=_("agency"))
    authority = models.CharField(_("authority"), max_length=40, choices=authority_choices)

    class Meta:
        verbose_name = _("agency mapping")
        verbose_name_plural = _("agency mappings")

    def __str__(self) -> str:
        return f"{self.agency} → {self.authority}"


class TriageModel(models.Model):
    """One trained model of an office; the newest active one serves suggestions."""

    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE,
                               related_name="triage_models", verbose_name=_("office"))
    version = models.CharField(_("version"), max_length=80, unique=True)
    created_at = models.DateTimeField(_("trained at"), auto_now_add=True)
    path = models.CharField(_("file"), max_length=500)
    training_size = models.JSONField(_("training size"), default=dict)
    cv_accuracy = models.JSONField(_("cross-validated accuracy"), default=dict)
    seconds = models.PositiveIntegerField(_("training seconds"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("triage model")
        verbose_name_plural = _("triage models")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["office", "is_active", "-created_at"],
                                name="triage_model_active")]

    def __str__(self) -> str:
        return self.version
