"""Token and client-key management: created here, shown once, stored hashed, revocable."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aduan.accounts.admin import require_fresh_auth
from aduan.accounts.memberships import membership_get_active
from aduan.api.models import ApiToken, Open311Client, parse_networks
from aduan.api.services import api_token_create, api_token_revoke, open311_client_create
from aduan.core.exceptions import ApplicationError


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["user", "office", "name", "expires_at", "allowed_networks"]

    def clean_allowed_networks(self) -> str:
        text = self.cleaned_data.get("allowed_networks") or ""
        try:
            return ", ".join(str(n) for n in parse_networks(text))
        except ValueError:
            raise forms.ValidationError(_("Tulis alamat IP atau rentang CIDR, misalnya "
                                          "10.20.0.0/16.")) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        user = data.get("user")
        if self.instance.pk is None and user is not None and (
                not user.is_active or user.office_id is None):
            raise forms.ValidationError(
                _("Token hanya dapat dibuat untuk staf aktif sebuah kantor."))
        office = data.get("office")
        if (self.instance.pk is None and user is not None and office is not None
                and office.pk != user.office_id
                and membership_get_active(user, office.pk) is None):
            raise forms.ValidationError(_("Pengguna tidak bekerja di kantor ini."))
        expires_at = data.get("expires_at")
        if self.instance.pk is None and expires_at is not None and expires_at <= timezone.now():
            raise forms.ValidationError(_("Tanggal kedaluwarsa harus di masa depan."))
        return data


class Open311ClientForm(forms.ModelForm):
    class Meta:
        model = Open311Client
        fields = ["name", "office", "channel", "contact"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        office, channel = data.get("office"), data.get("channel")
        if office is not None and channel is not None and channel.office_id != office.pk:
            raise forms.ValidationError(_("Saluran pengaduan bukan milik kantor ini."))
        return data


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "user", "office", "created_at", "expires_at", "last_used_at",
                    "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = ("prefix", "last_used_at", "created_at")
    actions = ["revoke"]
    form = ApiTokenForm

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:  # a token's owner never changes; only name, expiry, revocation
            return ("user", "office", "prefix", "last_used_at", "created_at")
        return ()

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("user", "office", "name", "expires_at", "allowed_networks")
        return ("user", "office", "name", "prefix", "expires_at", "allowed_networks", "revoked_at",
                "last_used_at", "created_at")

    def add_view(self, request: HttpRequest, form_url: str = "",
                 extra_context: dict | None = None) -> HttpResponse:
        # Issuing a credential: confirm the person first (issue 12).
        return require_fresh_auth(request) or super().add_view(request, form_url,
                                                               extra_context)

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        try:
            token, secret = api_token_create(user=obj.user, name=obj.name,
                                             expires_at=obj.expires_at,
                                             allowed_networks=obj.allowed_networks,
                                             office=obj.office)
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        obj.pk = token.pk
        obj.refresh_from_db()
        self.message_user(
            request,
            _("Token dibuat. Salin sekarang; token ini tidak akan ditampilkan lagi: %(t)s")
            % {"t": secret}, messages.WARNING)

    @admin.action(description=_("Cabut token terpilih"))
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        for token in queryset:
            api_token_revoke(token=token)
        self.message_user(request, _("Token dicabut."), messages.SUCCESS)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoke instead: last use and ownership stay on record


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    form = Open311ClientForm
    list_display = ("name", "prefix", "office", "channel", "is_active", "last_used_at")
    list_filter = ("is_active",)
    search_fields = ("name", "prefix")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("name", "office", "channel", "contact")
        return ("name", "office", "channel", "contact", "prefix", "is_active", "last_used_at",
                "created_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("prefix", "last_used_at", "created_at") if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Open311Client, form: Any,
                   change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        try:
            client, key = open311_client_create(office=obj.office, name=obj.name,
                                                channel=obj.channel, contact=obj.contact)
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        obj.pk = client.pk
        obj.refresh_from_db()
        self.message_user(
            request,
            _("Klien Open311 dibuat. Salin api_key sekarang; tidak akan ditampilkan lagi: "
              "%(k)s") % {"k": key}, messages.WARNING)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


