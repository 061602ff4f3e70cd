"""Staff accounts in the admin: roles (after re-authentication), second-factor reset, login
unlock and session revocation, each written as a SecurityEvent."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from axes.utils import reset as axes_reset
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aduan.accounts import sessions
from aduan.accounts.models import (
    Membership,
    Role,
    SecurityEvent,
    SecurityEventKind,
    User,
    UserSession,
)
from aduan.accounts.twofactor import second_factor_reset
from aduan.offices.admin_scope import OfficeScopedMixin, admin_office_id


def require_fresh_auth(request: HttpRequest) -> HttpResponse | None:
    """Redirect to the confirmation page unless the password or a code was given within the
    office's re-authentication window (accounts.policy)."""
    if getattr(request.user, "auth_is_fresh", False):
        return None
    return HttpResponseRedirect(f"{reverse('accounts:reauthenticate')}?"
                                f"{urlencode({'next': request.get_full_path()})}")


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _memberships(user: User) -> list[dict[str, Any]]:
    """The user's office memberships as plain data, for the security log."""
    return [{"office": m.office_id, "unit": m.unit_id, "roles": sorted(m.roles),
             "active": m.is_active}
            for m in Membership.objects.filter(user=user).order_by("office_id")]


class MembershipForm(forms.ModelForm):
    """Roles as checkboxes of the known roles (stored as a list of Role values)."""

    roles = forms.MultipleChoiceField(label=_("Peran"), choices=Role.choices,
                                      widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Membership
        fields = ("office", "unit", "roles", "is_active")


class MembershipInline(OfficeScopedMixin, admin.TabularInline):  # type: ignore[type-arg]
    """Roles in offices other than the home office (issue 18); the home office, unit and
    groups stay on the user above."""

    model = Membership
    form = MembershipForm
    fk_name = "user"
    extra = 0


@admin.register(User)
class UserAdmin(OfficeScopedMixin, BaseUserAdmin):  # type: ignore[misc]
    """An office's administrator manages the staff whose home office is theirs (and their
    memberships in it); superusers manage everyone."""

    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Office"), {"fields": ("office", "unit", "phone", "job_title")}),
        (_("Security"), {"fields": ("must_change_password",)}),
    )
    list_display = ("username", "first_name", "last_name", "unit", "is_active")
    list_filter = ("groups", "unit", "is_active")
    actions = ["reset_second_factor", "unlock_login", "end_sessions"]
    inlines = [MembershipInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = super().get_readonly_fields(request, obj)
        if admin_office_id(request) is None:
            return fields
        # Superuser status and loose permissions cross every office: the operator's only.
        return (*fields, "is_superuser", "user_permissions")

    def changeform_view(self, request: HttpRequest, object_id: str | None = None,
                        form_url: str = "", extra_context: dict | None = None) -> HttpResponse:
        # Roles (groups) and admin rights are changed here: confirm the person first.
        return require_fresh_auth(request) or super().changeform_view(
            request, object_id, form_url, extra_context)

    def user_change_password(self, request: HttpRequest, id: str,
                             form_url: str = "") -> HttpResponse:
        return require_fresh_auth(request) or super().user_change_password(request, id,
                                                                            form_url)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any,
                     change: bool) -> None:
        user: User = form.instance
        before = sorted(user.groups.values_list("name", flat=True)) if change else []
        offices_before = _memberships(user) if change else []
        super().save_related(request, form, formsets, change)
        after = sorted(user.groups.values_list("name", flat=True))
        if before != after:
            SecurityEvent.objects.create(
                user=user, actor=request.user, ip_address=_ip(request),
                kind=SecurityEventKind.ROLES_CHANGED, data={"from": before, "to": after})
        offices_after = _memberships(user)
        if offices_before != offices_after:
            SecurityEvent.objects.create(
                user=user, actor=request.user, ip_address=_ip(request),
                kind=SecurityEventKind.ROLES_CHANGED,
                data={"memberships_from": offices_before, "memberships_to": offices_after})

    @admin.action(description=_("Reset faktor kedua (ponsel hilang)"))
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            second_factor_reset(user=user, actor=request.user,  # type: ignore[arg-type]
                                ip=_ip(request))
            sessions.session_revoke_others(user=user, keep=None,
                                           actor=request.user)  # type: ignore[arg-type]
        self.message_user(request, _("Faktor kedua direset. Pengguna mendaftarkan aplikasi "
                                     "autentikator lagi saat masuk berikutnya."),
                          messages.SUCCESS)

    @admin.action(description=_("Buka kunci login"))
    def unlock_login(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            removed = axes_reset(username=user.username)
            SecurityEvent.objects.create(user=user, actor=request.user, ip_address=_ip(request),
                                         kind=SecurityEventKind.LOGIN_UNLOCKED,
                                         data={"attempts_removed": removed})
        self.message_user(request, _("Kunci login dibuka."), messages.SUCCESS)

    @admin.action(description=_("Akhiri semua sesi"))
    def end_sessions(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        ended = sum(sessions.session_revoke_others(
            user=user, keep=request.session.session_key,
            actor=request.user) for user in queryset)  # type: ignore[arg-type]
        self.message_user(request, _("%(n)d sesi diakhiri.") % {"n": ended}, messages.SUCCESS)


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "kind", "actor", "ip_address")
    list_filter = ("kind",)
    search_fields = ("user__username", "actor__username", "ip_address")
    readonly_fields = ("created_at", "user", "actor", "kind", "ip_address", "data")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # an audit record is never removed


@admin.register(UserSession)
class UserSessionAdmin(admin.ModelAdmin):
    list_display = ("user", "ip_address", "user_agent", "created_at", "last_seen_at",
                    "ended_at")
    list_filter = ("ended_at",)
    search_fields = ("user__username", "ip_address")
    readonly_fields = ("user", "ip_address", "user_agent", "created_at",
                       "last_seen_at", "ended_at")
    exclude = ("session_key",)
    actions = ["end"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Akhiri sesi terpilih"))
    def end(self, request: HttpRequest, queryset: QuerySet[UserSession]) -> None:
        for row in queryset.filter(ended_at__isnull=True):
            sessions.session_revoke(user=row.user, session_id=row.pk,
                                    actor=request.user,  # type: ignore[arg-type]
                                    ip=_ip(request))
        self.message_user(request, _("Sesi diakhiri."), messages.SUCCESS)


# The role groups are shared by every office: changing one would change what the role may do
# in every office. An office's administrator assigns roles on the user; only the instance's
# operators (superusers) change the groups themselves (and ensure_role_groups resets them on
# every migrate).
admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(GroupAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)
