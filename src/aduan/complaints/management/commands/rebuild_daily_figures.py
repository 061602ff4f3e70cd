"""Recompute the daily figures (complaints/figures.py) and their monthly roll-up from the
cases, e.g. after a bulk load that bypassed the services or to check them: `--check` only
reports differences."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aduan.complaints.figures import figures_differences, figures_rebuild, months_differences
from aduan.offices.models import Office


class Command(BaseCommand):
    help = "Recompute the pre-aggregated daily figures of every office (or of --office)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--office", help="Office code (default: every office).")
        parser.add_argument("--check", action="store_true",
                            help="Compare the stored figures with the cases; change nothing. "
                                 "Exits with status 1 when they differ.")

    def handle(self, *args: Any, **options: Any) -> None:
        office_id = None
        if options["office"]:
            office_id = Office.objects.filter(code=options["office"]).values_list(
                "pk", flat=True).first()
            if office_id is None:
                raise CommandError(f"no office {options['office']}")
        if options["check"]:
            differences = figures_differences(office_id)
            for cell, stored, live in differences[:20]:
                self.stdout.write(f"{cell}: stored {stored}, cases {live}")
            months = months_differences(office_id)
            for cell, stored, summed in months[:20]:
                self.stdout.write(f"{cell}: monthly {stored}, days {summed}")
            if differences or months:
                raise CommandError(f"{len(differences)} figures differ from the cases, "
                                   f"{len(months)} monthly figures differ from the days")
            self.stdout.write("The daily figures match the cases, the monthly the days.")
            return
        written = figures_rebuild(office_id)
        self.stdout.write(f"{written:,} daily figures written.")
