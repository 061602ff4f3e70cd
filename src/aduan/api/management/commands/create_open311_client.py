"""`manage.py create_open311_client "Aplikasi X" [--office CODE]`: print a new Open311
api_key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aduan.api.services import open311_client_create
from aduan.offices.selectors import office_for_command


class Command(BaseCommand):
    help = "Register an Open311 client and print its api_key (shown only once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--office", default="",
                            help="Code of the office the client submits to (default: the only "
                                 "office, when there is exactly one).")
        parser.add_argument("--channel", default="",
                            help="Channel code recorded on its complaints (default: the "
                                 "office's API or web channel).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            office = office_for_command(options["office"])
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        channel = None
        if options["channel"]:
            channel = office.channels.filter(code=options["channel"]).first()
            if channel is None:
                raise CommandError(f"Unknown channel {options['channel']!r}.")
        _client, key = open311_client_create(office=office, name=options["name"],
                                             channel=channel)
        self.stdout.write(key)
