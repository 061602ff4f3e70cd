from django.contrib import admin

from aduan.assist.models import (
    ChannelAssist,
    InstantAnswer,
    RelatedHint,
    SavedReply,
    Suggestion,
    SuggestionFeedback,
)


@admin.register(SavedReply)
class SavedReplyAdmin(admin.ModelAdmin):
    list_display = ["title", "office", "order", "is_active", "updated_at"]
    list_filter = ["is_active", "office"]
    list_editable = ["order", "is_active"]
    search_fields = ["title", "body", "keywords"]
    exclude = ["created_by"]


@admin.register(ChannelAssist)
class ChannelAssistAdmin(admin.ModelAdmin):
    list_display = ["office", "channel_kind", "mode", "threshold"]
    list_filter = ["office", "mode"]


class _ReadOnly(admin.ModelAdmin):
    """Written by the system only."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Suggestion)
class SuggestionAdmin(_ReadOnly):
    list_display = ["complaint", "model_version", "error", "created_at"]
    search_fields = ["complaint__register_number"]


@admin.register(SuggestionFeedback)
class SuggestionFeedbackAdmin(_ReadOnly):
    list_display = ["complaint", "field", "suggested", "chosen", "accepted", "created_at"]
    list_filter = ["field", "accepted"]


@admin.register(RelatedHint)
class RelatedHintAdmin(_ReadOnly):
    list_display = ["complaint", "related", "kind", "score", "status"]
    list_filter = ["kind", "status"]


@admin.register(InstantAnswer)
class InstantAnswerAdmin(_ReadOnly):
    list_display = ["complaint", "ref", "confidence", "state", "created_at"]
    list_filter = ["state"]
