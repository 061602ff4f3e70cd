from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "aduan.portal"
    label = "portal"

    def ready(self) -> None:
        from aduan.complaints import retention
        from aduan.portal.retention import rating_purge_for_complaints

        retention.register_case_purger("service_ratings", rating_purge_for_complaints)
