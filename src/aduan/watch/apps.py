"""Proactive watch of permit applications (issue 16, seed report section G)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WatchConfig(AppConfig):
    name = "aduan.watch"
    label = "watch"
    verbose_name = _("Pengawasan permohonan izin")

    def ready(self) -> None:
        from aduan.complaints import notify, retention
        from aduan.watch import tasks  # noqa: F401 (registers LINK_JOB, core/jobs.py)
        from aduan.watch.links import link_complaint_for_event
        from aduan.watch.retention import applicants_anonymise_expired

        # A new complaint that names an application (number, NIB, applicant's phone) is linked
        # to it by a job queued with its registration (links.py,
        # docs/decisions/0002-case-event-hook.md).
        notify.register(link_complaint_for_event)
        # Applicants' names and contacts end with the office's retention period (UU 27/2022).
        retention.register_expired_purger("permit_applicants", applicants_anonymise_expired)
