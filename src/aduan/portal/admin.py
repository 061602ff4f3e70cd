from django.contrib import admin

from aduan.portal.models import FaqEntry


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    list_display = ["question", "order", "is_published", "updated_at"]
    list_filter = ["is_published", "office"]
    list_editable = ["order", "is_published"]
    search_fields = ["question", "answer", "keywords"]
    prepopulated_fields = {"code": ["question"]}
