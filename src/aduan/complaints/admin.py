from django.contrib import admin

from aduan.complaints.models import CaseEvent, Complaint, IdentityAccess, SubmissionKey


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


@admin.register(SubmissionKey)
class SubmissionKeyAdmin(ReadOnlyAdmin):
    """Single-use keys, and the web submissions accepted and waiting for the worker (decision
    0015): a row without a case past its last attempt shows its error here (and on /readyz);
    `manage.py retry_submissions` queues it again once the cause is fixed. The encrypted
    payload and the key itself are not shown."""

    list_display = ("pk", "scope", "office", "received_at", "complaint", "attempts", "error")
    list_filter = ("scope", ("complaint", admin.EmptyFieldListFilter))
    exclude = ("payload", "key", "body_sha256", "response")
