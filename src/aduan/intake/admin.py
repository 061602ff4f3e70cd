"""Read-only admin views of what the channels received (nothing inbound is edited or deleted)."""

from django.contrib import admin

from aduan.intake.models import Conversation, InboundMessage, MailboxState


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "channel_kind", "provider", "sender", "parse_status",
                    "complaint")
    list_filter = ("channel_kind", "parse_status", "provider")
    search_fields = ("provider_message_id", "sender", "subject")
    exclude = ("raw",)
    date_hierarchy = "received_at"


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyAdmin):
    list_display = ("channel_kind", "address", "complaint", "is_open", "last_message_at")
    list_filter = ("channel_kind", "is_open")
    search_fields = ("address",)


@admin.register(MailboxState)
class MailboxStateAdmin(ReadOnlyAdmin):
    list_display = ("mailbox", "uidvalidity", "last_uid", "last_polled_at")
