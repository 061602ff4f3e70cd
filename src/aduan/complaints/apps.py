from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "aduan.complaints"
    label = "complaints"

    def ready(self) -> None:
        from aduan.complaints import tasks  # noqa: F401 (registers FOLLOW_UPS_JOB, core/jobs.py)
