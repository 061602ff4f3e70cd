"""Proactive watch of permit applications (issue 16, seed report section G)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WatchConfig(AppConfig):
    name = "aduan.watch"
    label = "watch"
    verbose_name = _("Pengawasan permohonan izin")

    def ready(self) -> None:
        from aduan.complaints import notify
        from aduan.watch.links import link_complaint_for_event

        # A new complaint that names an application (number, NIB, applicant's phone) is linked
        # to it in the registering transaction (docs/decisions/0002-case-event-hook.md).
        notify.register(link_complaint_for_event)
