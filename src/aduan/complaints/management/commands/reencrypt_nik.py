"""Re-encrypt every stored NIK, and every accepted web submission's payload waiting for the
worker, with the newest FIELD_ENCRYPTION_KEYS key (after a rotation)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aduan.complaints.nik_keys import reporters_check_nik_keys, reporters_reencrypt_nik
from aduan.core import crypto


class Command(BaseCommand):
    help = ("Re-encrypt every stored NIK with the first (newest) key of FIELD_ENCRYPTION_KEYS "
            "and recompute its blind index. --check only verifies that every stored NIK opens "
            "with the configured keys.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true",
                            help="Only check that the keys open every stored NIK.")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("Sidik jari kunci (terbaru dahulu): "
                          + ", ".join(crypto.key_fingerprints()))
        try:
            if options["check"]:
                checked = reporters_check_nik_keys()
                self.stdout.write(f"NIK tersimpan dapat dibuka semua: {checked}")
                return
            run = reporters_reencrypt_nik()
        except crypto.KeyMismatchError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"NIK diperiksa: {run.checked}")
        self.stdout.write(f"NIK dienkripsi ulang dengan kunci terbaru: {run.rewritten}")
        self.stdout.write("Pengaduan web yang menunggu dicatat, dienkripsi ulang dengan kunci "
                          f"terbaru: {run.payloads}")
