"""Outbound notifications: outbox, senders and the tasks that deliver them."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "aduan.notifications"
    label = "notifications"
    verbose_name = _("Notifikasi")

    def ready(self) -> None:
        from aduan.complaints import notify, retention
        from aduan.core import refcache
        from aduan.notifications import tasks  # noqa: F401  provides the jobs services queue
        from aduan.notifications.models import MessageTemplate, OutboxMessage, ReplyToken
        from aduan.notifications.retention import outbox_purge_for_complaints
        from aduan.notifications.services import (
            message_templates_ensure_defaults,
            outbox_write_for_event,
        )

        notify.register(outbox_write_for_event)
        retention.register_case_purger("outbox_messages", outbox_purge_for_complaints,
                                        models=(OutboxMessage, ReplyToken))
        refcache.watch(MessageTemplate)
        post_migrate.connect(
            message_templates_ensure_defaults,
            sender=self,
            dispatch_uid="aduan.notifications.ensure_default_templates",
        )
