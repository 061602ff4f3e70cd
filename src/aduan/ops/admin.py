from django.contrib import admin

from aduan.ops.models import BackupSettings


@admin.register(BackupSettings)
class BackupSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "is_enabled", "interval_hours", "keep_count", "last_success_at"]
    readonly_fields = ["last_success_at", "last_attempt_at", "last_archive", "last_error"]

    def has_add_permission(self, request):  # one row, created on first use
        return not BackupSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
