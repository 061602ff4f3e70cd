"""`manage.py holiday_dates [--last YEAR]`: write offices/holiday_dates.py from the installed
`holidays` package (after upgrading it; offices/calendar.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from aduan.offices import calendar


class Command(BaseCommand):
    help = "Write the table of the holidays package's days off (offices/holiday_dates.py)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--last", type=int, default=2035, help="Last year of the table.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(calendar.__file__).with_name("holiday_dates.py")
        path.write_text(calendar.holiday_dates_source(calendar.FIRST_YEAR, options["last"]))
        self.stdout.write(f"{path}: {calendar.FIRST_YEAR}-{options['last']}")
