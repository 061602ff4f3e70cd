"""Load the demo office's frequent questions into the knowledge base (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aduan.offices.selectors import office_get_current
from aduan.portal.demo import load_demo_faq


class Command(BaseCommand):
    help = "Load the demo frequent questions (run after load_demo)."

    def handle(self, *args: Any, **options: Any) -> None:
        office = office_get_current()
        if office is None:
            raise CommandError("Load the demo office first: manage.py load_demo")
        self.stdout.write(f"Pertanyaan umum: {load_demo_faq(office)}")
