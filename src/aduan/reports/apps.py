from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "aduan.reports"
    label = "reports"

    def ready(self) -> None:
        from aduan.complaints import retention
        from aduan.reports import tasks  # noqa: F401  provides the jobs services queue
        from aduan.reports.retention import report_files_purge_expired

        retention.register_expired_purger("report_files", report_files_purge_expired)
