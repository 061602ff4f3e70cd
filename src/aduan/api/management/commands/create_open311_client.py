"""`manage.py create_open311_client "Aplikasi X"`: print a new Open311 api_key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aduan.api.services import open311_client_create
from aduan.offices.selectors import office_get_current


class Command(BaseCommand):
    help = "Register an Open311 client and print its api_key (shown only once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--channel", default="",
                            help="Channel code recorded on its complaints (default: the "
                                 "office's API or web channel).")

    def handle(self, *args: Any, **options: Any) -> None:
        office = office_get_current()
        if office is None:
            raise CommandError("No active office: run load_demo or configure one.")
        channel = None
        if options["channel"]:
            channel = office.channels.filter(code=options["channel"]).first()
            if channel is None:
                raise CommandError(f"Unknown channel {options['channel']!r}.")
        _client, key = open311_client_create(office=office, name=options["name"],
                                             channel=channel)
        self.stdout.write(key)
