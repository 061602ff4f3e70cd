"""`manage.py restore ARCHIVE [--check] [--yes]`: replace the database and media with a backup.

Stop the web and worker processes first: the restore replaces the data under them.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aduan.ops.backup import BackupError, inspect_backup, restore_backup


class Command(BaseCommand):
    help = ("Restore a backup archive (database and media), after checking its manifest, "
            "checksums and encryption key.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--check", action="store_true",
                            help="Only verify the archive; change nothing.")
        parser.add_argument("--yes", action="store_true",
                            help="Do not ask for confirmation.")
        parser.add_argument("--no-migrate", action="store_true",
                            help="Do not run migrations after restoring.")

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        try:
            if options["check"]:
                with tempfile.TemporaryDirectory() as work:
                    manifest = inspect_backup(archive, Path(work))
                self.stdout.write(f"OK: {archive} ({manifest['created_at']}, "
                                  f"{len(manifest['files'])} files)")
                return
            if not options["yes"] and input(
                    f"Replace the database and media with {archive}? [y/N] ").strip().lower() \
                    not in {"y", "yes", "ya"}:
                raise CommandError("Dibatalkan.")
            result = restore_backup(archive, migrate=not options["no_migrate"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(result.counts.values())
        self.stdout.write(f"Restored {archive}: {rows} rows in {len(result.counts)} tables, "
                          f"backup of {result.manifest['created_at']}.")
