from django.contrib import admin

from aduan.portal.models import FaqEntry, ServiceRating


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    list_display = ["question", "order", "is_published", "updated_at"]
    list_filter = ["is_published", "office"]
    list_editable = ["order", "is_published"]
    search_fields = ["question", "answer", "keywords"]
    prepopulated_fields = {"code": ["question"]}


@admin.register(ServiceRating)
class ServiceRatingAdmin(admin.ModelAdmin):
    """Ratings are the reporters' words: read-only here."""

    list_display = ["complaint", "score", "created_at"]
    list_filter = ["score"]
    readonly_fields = ["complaint", "score", "elements", "comment", "created_at"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
