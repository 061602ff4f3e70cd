from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.http.request import validate_host
from django.utils.translation import gettext_lazy as _

from aduan.offices.admin_scope import OfficeScopedAdmin, OfficeScopedMixin, superuser_only_changes
from aduan.offices.models import (
    Channel,
    DeadlinePolicy,
    Holiday,
    Office,
    ReferralAgency,
    ServiceType,
    Unit,
)
from aduan.offices.selectors import normal_host


class DeadlinePolicyInline(OfficeScopedMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = DeadlinePolicy
    extra = 0


def _role_choices() -> list[tuple[str, Any]]:
    from aduan.accounts.models import Role  # accounts depends on offices, not the reverse

    return list(Role.choices)


class OfficeForm(forms.ModelForm):
    two_factor_roles = forms.MultipleChoiceField(
        label=_("roles that must log in with two factors"), required=False,
        choices=_role_choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("Every role that can see reporters' identities, and the administrator, "
                    "should stay checked."))

    class Meta:
        model = Office
        fields = "__all__"  # noqa: DJ007  (the admin form of every office field)

    def clean_host(self) -> str:
        """Stored in lower case without a port; refused unless ALLOWED_HOSTS accepts it, since
        Django answers 400 to any other host before the office's pages are reached
        (offices/middleware.py, docs/deployment.md)."""
        host = normal_host(self.cleaned_data.get("host") or "")
        if host and not validate_host(host, settings.ALLOWED_HOSTS):
            raise forms.ValidationError(
                _("Nama host %(host)s belum ada di ALLOWED_HOSTS server. Tambahkan dulu (mis. "
                  "ALLOWED_HOSTS=%(host)s atau .%(domain)s untuk semua subdomain), lalu "
                  "mulai ulang aplikasi."),
                params={"host": host, "domain": host.partition(".")[2] or host})
        return host


@admin.register(Office)
class OfficeAdmin(OfficeScopedAdmin):
    """An office's administrator changes their own office; adding or removing an office is
    the instance operator's (superuser's) task."""

    form = OfficeForm
    list_display = ("name", "code", "host", "is_central_intake", "city", "settle_days",
                    "retention_years", "is_active")
    inlines = [DeadlinePolicyInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = super().get_readonly_fields(request, obj)
        if superuser_only_changes(request):
            return fields
        # Where the office is reached and whether it is the regency's intake are the
        # instance's settings, not the office's.
        return (*fields, "code", "host", "is_central_intake", "is_active")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return superuser_only_changes(request) and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return superuser_only_changes(request) and super().has_delete_permission(request, obj)


@admin.register(Unit)
class UnitAdmin(OfficeScopedAdmin):
    list_display = ("name", "code", "office", "is_complaint_team", "is_active", "order")
    list_filter = ("office", "is_active")


@admin.register(Channel)
class ChannelAdmin(OfficeScopedAdmin):
    list_display = ("name", "code", "kind", "contact", "order", "in_report", "is_active")
    list_filter = ("office", "kind", "is_active")
    list_editable = ("order", "is_active")


@admin.register(ServiceType)
class ServiceTypeAdmin(OfficeScopedAdmin):
    list_display = ("name", "code", "default_unit", "is_active")
    list_filter = ("office", "default_unit", "is_active")
    search_fields = ("name", "keywords")


@admin.register(ReferralAgency)
class ReferralAgencyAdmin(OfficeScopedAdmin):
    list_display = ("name", "code", "topics", "is_active")
    search_fields = ("name", "topics", "keywords")


@admin.register(Holiday)
class HolidayAdmin(OfficeScopedAdmin):
    list_display = ("date", "name", "kind", "office")
    list_filter = ("kind", "office")
    date_hierarchy = "date"
