from django.apps import AppConfig


class IkmConfig(AppConfig):
    """The satisfaction survey (IKM): used by the portal (the forms) and the reports (the
    index); neither depends on the other for it."""

    name = "aduan.ikm"
    label = "ikm"
    verbose_name = "Survei kepuasan masyarakat"

    def ready(self) -> None:
        from aduan.complaints import retention
        from aduan.ikm.models import ServiceRating
        from aduan.ikm.retention import rating_purge_for_complaints
        from aduan.ikm.scoring import element_weight

        retention.register_case_purger("service_ratings", rating_purge_for_complaints,
                                        models=(ServiceRating,))
        # Fail fast on a mistyped ADUAN_IKM_ELEMENT_WEIGHT rather than on the first report.
        element_weight()
