from django.contrib import admin

from aduan.complaints.models import CaseEvent, Complaint, IdentityAccess


class ReadOnlyAdmin(admin.ModelAdmin):
    """Case data changes only through the procedure's services, never by editing rows."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ("register_number", "subject", "channel", "status", "unit", "received_on",
                    "due_on")
    list_filter = ("status", "channel", "unit")
    search_fields = ("register_number", "subject")
    exclude = ("reporter",)


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ("complaint", "kind", "actor", "is_public", "created_at")
    list_filter = ("kind", "is_public")


@admin.register(IdentityAccess)
class IdentityAccessAdmin(ReadOnlyAdmin):
    list_display = ("reporter", "complaint", "user", "purpose", "accessed_at")
