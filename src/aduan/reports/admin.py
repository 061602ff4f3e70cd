"""Administrators edit the report texts and see the report jobs in the Django admin too."""

from django.contrib import admin

from aduan.reports.models import ReportJob, ReportProfile


@admin.register(ReportProfile)
class ReportProfileAdmin(admin.ModelAdmin):
    list_display = ("office", "report_title", "table3_max_rows", "updated_at")


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = ("kind", "office", "period_start", "period_end", "status", "progress",
                    "requested_by", "created_at", "seconds")
    list_filter = ("kind", "status")
    readonly_fields = [f.name for f in ReportJob._meta.fields]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False  # jobs are requested from the reports page, which checks the role
