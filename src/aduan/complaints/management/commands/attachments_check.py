"""Find attachment files no row names (left by a crash) and rows whose file is missing."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from aduan.complaints.attachments import attachments_storage_check


class Command(BaseCommand):
    help = ("Remove files under MEDIA_ROOT/attachments and MEDIA_ROOT/.staging that no "
            "attachment row names (older than --min-age seconds, so uploads in flight are left "
            "alone) and report rows whose file is missing. Exit status 1 if files are missing.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true",
                            help="Only list orphan files; remove nothing.")
        parser.add_argument("--min-age", type=int, default=3600,
                            help="Only files older than this many seconds count as orphans.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = attachments_storage_check(remove=not options["dry_run"],
                                           min_age_seconds=options["min_age"])
        for path in report.orphans:
            self.stdout.write(f"yatim: {path}")
        self.stdout.write(f"Berkas yatim: {len(report.orphans)} (dihapus: {report.removed})")
        for pk, name in report.missing:
            self.stdout.write(f"hilang: lampiran #{pk} {name}")
        self.stdout.write(f"Berkas hilang: {len(report.missing)}")
        if report.missing:
            raise SystemExit(1)
