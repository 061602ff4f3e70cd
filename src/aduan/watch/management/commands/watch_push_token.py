"""Issue a token for the licensing system's push of permit applications (shown once)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aduan.offices.models import Office
from aduan.watch.push import push_token_issue


class Command(BaseCommand):
    help = "Issue a push token for an office: manage.py watch_push_token <office code> <name>"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("office")
        parser.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        office = Office.objects.filter(code=options["office"]).first()
        if office is None:
            raise CommandError(f"Kantor {options['office']!r} tidak ada.")
        row, plain = push_token_issue(office, options["name"])
        self.stdout.write(f"Token untuk {row.name} (simpan sekarang; tidak ditampilkan lagi):")
        self.stdout.write(plain)
        self.stdout.write("Kirim: POST /pengawasan/push/ dengan header "
                          "'Authorization: Bearer <token>' dan JSON {\"applications\": [...]}")
