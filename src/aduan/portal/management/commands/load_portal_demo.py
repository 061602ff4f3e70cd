"""Load the demo office's frequent questions into the knowledge base (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aduan.offices.selectors import office_for_command
from aduan.portal.demo import load_demo_faq


class Command(BaseCommand):
    help = "Load the demo frequent questions (run after load_demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--office", default="",
                            help="Code of the office (default: the only office, when there is "
                                 "exactly one).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            office = office_for_command(options["office"])
        except LookupError as exc:
            raise CommandError(f"{exc} (Load the demo office first: manage.py load_demo)") \
                from exc
        self.stdout.write(f"Pertanyaan umum: {load_demo_faq(office)}")
