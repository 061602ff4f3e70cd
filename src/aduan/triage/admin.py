"""Admin: the office's mapping to the taxonomy, and its triage models (version, training size,
cross-validated accuracy per field) with a button to retrain now."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from aduan.triage.models import AgencyLabel, ServiceTypeLabel, TriageModel, UnitLabel


@admin.register(ServiceTypeLabel)
class ServiceTypeLabelAdmin(admin.ModelAdmin):
    list_display = ("service_type", "category", "authority")
    list_editable = ("category", "authority")
    list_filter = ("category", "authority")
    list_select_related = ("service_type",)


@admin.register(UnitLabel)
class UnitLabelAdmin(admin.ModelAdmin):
    list_display = ("unit", "categories")
    list_select_related = ("unit",)


@admin.register(AgencyLabel)
class AgencyLabelAdmin(admin.ModelAdmin):
    list_display = ("agency", "authority")
    list_editable = ("authority",)
    list_select_related = ("agency",)


@admin.register(TriageModel)
class TriageModelAdmin(admin.ModelAdmin):
    list_display = ("version", "office", "created_at", "is_active", "size", "accuracy",
                    "seconds")
    list_filter = ("office", "is_active")
    readonly_fields = ("office", "version", "created_at", "path", "training_size", "cv_accuracy",
                       "seconds")
    fields = ("office", "version", "created_at", "is_active", "path", "training_size",
              "cv_accuracy", "seconds")
    change_list_template = "admin/triage/triagemodel/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("training size"))
    def size(self, obj: TriageModel) -> str:
        sizes = obj.training_size or {}
        return (f"{sizes.get('total', 0)} ({_('kasus kantor')}: {sizes.get('office', 0)}, "
                f"{_('korpus awal')}: {sizes.get('seed', 0)})")

    @admin.display(description=_("cross-validated accuracy"))
    def accuracy(self, obj: TriageModel) -> str:
        return ", ".join(f"{field} {value:.0%}" for field, value in (obj.cv_accuracy or {}).items()
                         ) or "—"

    def get_urls(self) -> list[Any]:
        return [path("train/", self.admin_site.admin_view(self.train_view),
                     name="triage_triagemodel_train"), *super().get_urls()]

    def train_view(self, request: HttpRequest) -> HttpResponse:
        from aduan.offices.models import Office
        from aduan.triage.tasks import retrain_office_model

        target = reverse("admin:triage_triagemodel_changelist")
        if request.method != "POST" or not self.has_change_permission(request):
            return HttpResponseRedirect(target)
        offices = Office.objects.filter(is_active=True)
        for office in offices:
            retrain_office_model.enqueue(office.pk)
        self.message_user(request, _("Pelatihan ulang dijadwalkan untuk %(n)d kantor.")
                          % {"n": offices.count()}, messages.SUCCESS)
        return HttpResponseRedirect(target)
