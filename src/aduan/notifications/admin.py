from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from aduan.notifications.models import MessageTemplate, OutboxMessage
from aduan.notifications.rendering import CONTEXT_HELP
from aduan.notifications.services import outbox_retry_failed


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    """The administrator edits the Indonesian texts; syntax is checked on save (model.clean)."""

    list_display = ("code", "subject", "is_active", "updated_at")
    list_filter = ("is_active",)
    fieldsets = [
        (
            None,
            {
                "fields": ("code", "subject", "body", "short_body", "is_active"),
                "description": _(
                    "Variabel yang tersedia: %(names)s. Contoh: {{ register_number }}."
                )
                % {"names": CONTEXT_HELP},
            },
        )
    ]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: the outbox changes only through delivery and provider reports."""

    list_display = (
        "id",
        "complaint",
        "template_code",
        "channel",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    )
    list_filter = ("status", "channel", "template_code")
    search_fields = ("provider_message_id", "complaint__register_number")
    exclude = ("recipient", "body")
    raw_id_fields = ("complaint", "case_event")

    actions = ["retry_failed"]

    @admin.action(description=_("Kirim ulang pesan yang gagal"), permissions=["view"])
    def retry_failed(self, request, queryset):  # type: ignore[no-untyped-def]
        count = outbox_retry_failed(queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            _("%(count)s pesan dijadwalkan untuk dikirim ulang.") % {"count": count},
            messages.SUCCESS,
        )

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
