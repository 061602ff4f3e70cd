from django.apps import AppConfig


class RightsConfig(AppConfig):
    """Reporters' rights under UU 27/2022: data-subject requests and the breach register."""

    name = "aduan.rights"
    label = "rights"
    verbose_name = "Hak subjek data pribadi"

    def ready(self) -> None:
        from aduan.complaints.retention import register_case_purger
        from aduan.rights.models import DataRequest, RequestChallenge
        from aduan.rights.retention import requests_purge_for_complaints

        register_case_purger("data_requests", requests_purge_for_complaints,
                             models=(DataRequest, RequestChallenge))
