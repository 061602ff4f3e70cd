from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "aduan.portal"
    label = "portal"

    def ready(self) -> None:
        from aduan.complaints import retention
        from aduan.portal.ikm import element_weight
        from aduan.portal.retention import rating_purge_for_complaints

        retention.register_case_purger("service_ratings", rating_purge_for_complaints)
        # Fail fast on a mistyped ADUAN_IKM_ELEMENT_WEIGHT rather than on the first report.
        element_weight()
