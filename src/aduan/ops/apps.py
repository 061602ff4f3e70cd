from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: backups, health and readiness, metrics, outage handling."""

    name = "aduan.ops"
    label = "ops"
    verbose_name = _("Operasional")

    def ready(self) -> None:
        from django.core.signals import got_request_exception

        from aduan.ops import outage

        got_request_exception.connect(outage.note_database_error,
                                      dispatch_uid="aduan.ops.outage")
