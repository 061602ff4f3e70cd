"""The scheduled backup: the worker's scheduler asks every quarter hour whether one is due."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from aduan.ops.models import BackupSettings

logger = logging.getLogger(__name__)


@task()
def run_scheduled_backup() -> str:
    """Take a backup when the last attempt is older than the office's interval, then keep only
    the newest `keep_count` archives. Several workers may receive the task: the settings row is
    locked while deciding, so only one of them backs up."""
    from aduan.ops.backup import BackupError, create_backup, prune_backups

    now = timezone.now()
    with transaction.atomic():
        row = BackupSettings.load()
        row = BackupSettings.objects.select_for_update().get(pk=row.pk)
        due = row.is_enabled and (
            row.last_attempt_at is None
            or (now - row.last_attempt_at).total_seconds() >= row.interval_hours * 3600)
        if not due:
            return "not due"
        row.last_attempt_at = now
        row.save(update_fields=["last_attempt_at", "updated_at"])
    directory = settings.ADUAN_BACKUP_DIR
    try:
        archive = create_backup(directory, now=now)
    except (BackupError, OSError) as exc:
        logger.exception("scheduled backup failed")
        BackupSettings.objects.filter(pk=row.pk).update(last_error=str(exc)[:2000],
                                                        updated_at=timezone.now())
        return "failed"
    removed = prune_backups(directory, keep=row.keep_count)
    BackupSettings.objects.filter(pk=row.pk).update(
        last_success_at=now, last_archive=archive.name, last_error="",
        updated_at=timezone.now())
    logger.info("backup written to %s; %d old archives removed", archive, len(removed))
    return archive.name
