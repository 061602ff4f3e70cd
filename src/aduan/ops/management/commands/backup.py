"""`manage.py backup [--dir DIR] [--keep N]`: write one archive (ops/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from aduan.ops.backup import BackupError, create_backup, prune_backups


class Command(BaseCommand):
    help = "Back up the database and media files into one archive with a manifest."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dir", type=Path, default=None,
                            help="Directory for the archive (default: ADUAN_BACKUP_DIR).")
        parser.add_argument("--keep", type=int, default=0,
                            help="Afterwards keep only the newest N archives (0: keep all).")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = options["dir"] or settings.ADUAN_BACKUP_DIR
        try:
            archive = create_backup(Path(directory))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if options["keep"] > 0:
            for path in prune_backups(Path(directory), keep=options["keep"]):
                self.stdout.write(f"removed {path}")
        self.stdout.write(str(archive))
