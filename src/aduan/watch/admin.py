from django.contrib import admin

from aduan.watch.models import PermitType, PushToken, WatchSettings


@admin.register(WatchSettings)
class WatchSettingsAdmin(admin.ModelAdmin):
    list_display = ("office", "at_risk_percent", "default_sop_days", "letter_number_pattern")


@admin.register(PermitType)
class PermitTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "office", "service_type", "sop_days", "sop_source")
    list_filter = ("office",)
    list_editable = ("service_type", "sop_days")
    search_fields = ("name",)
    readonly_fields = ("key",)


@admin.register(PushToken)
class PushTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with `manage.py watch_push_token` (the token is shown once)."""

    list_display = ("name", "office", "prefix", "is_active", "last_used_at")
    readonly_fields = ("prefix", "last_used_at")
    fields = ("office", "name", "is_active", "prefix", "last_used_at")

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False
