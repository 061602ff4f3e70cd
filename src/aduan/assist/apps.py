"""Case intelligence on the desk (issue 19): suggestions, instant answers, related cases,
canned answers."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistConfig(AppConfig):
    name = "aduan.assist"
    label = "assist"
    verbose_name = _("Asisten kasus")

    def ready(self) -> None:
        from aduan.assist import tasks  # noqa: F401 (registers hooks.NEW_CASE_JOB, core/jobs.py)
        from aduan.assist.hooks import on_case_event
        from aduan.assist.models import SavedReply
        from aduan.complaints import notify
        from aduan.core import refcache

        # The case page's picker lists the saved replies from a memo (selectors._office_canned).
        refcache.watch(SavedReply)

        # The one hook into case registration and the reporter's later messages
        # (docs/decisions/0002-case-event-hook.md).
        notify.register(on_case_event)
