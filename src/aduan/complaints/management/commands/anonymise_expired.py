"""Anonymise the reporters whose retention period has ended (UU 27/2022), now."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from aduan.complaints.retention import reporters_anonymise_expired


class Command(BaseCommand):
    help = ("Anonymise reporters whose every complaint was settled more than the office's "
            "retention period ago, and purge expired inbound messages and report files. "
            "The worker does this daily.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true",
                            help="Only count what would be anonymised; change nothing.")
        parser.add_argument("--limit", type=int, default=None,
                            help="Anonymise at most this many reporters.")

    def handle(self, *args: Any, **options: Any) -> None:
        run = reporters_anonymise_expired(dry_run=options["dry_run"], limit=options["limit"])
        if run.dry_run:
            self.stdout.write("Uji coba (--dry-run): tidak ada data yang diubah.")
        self.stdout.write(f"Pelapor dianonimkan: {run.reporters}")
        self.stdout.write(f"Pengaduan terkait: {run.complaints}")
        self.stdout.write(f"Lampiran dihapus: {run.attachments}")
        if not run.dry_run:
            self.stdout.write(f"Peristiwa linimasa disunting: {run.events_redacted}")
        for name, count in sorted(run.purged.items()):
            self.stdout.write(f"Dibersihkan ({name}): {count}")
