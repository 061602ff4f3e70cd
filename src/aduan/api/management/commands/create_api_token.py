"""`manage.py create_api_token petugas [--name …] [--days 90] [--allow 10.20.0.0/16]
[--office CODE]`: print a new staff API token (working in one office)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from aduan.accounts.models import User
from aduan.api.services import api_token_create
from aduan.core.exceptions import ApplicationError
from aduan.offices.models import Office


class Command(BaseCommand):
    help = "Create an API token for a staff user and print it (it is shown only once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")
        parser.add_argument("--office", default="",
                            help="Code of the office the token works in (default: the user's "
                                 "home office; another office needs a membership there).")
        parser.add_argument("--days", type=int, default=0,
                            help="Expire after this many days (0: never).")
        parser.add_argument("--allow", default="",
                            help="IP addresses or CIDR ranges the token may be used from, "
                                 "comma-separated (default: anywhere).")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Unknown user {options['username']!r}.")
        office = None
        if options["office"]:
            office = Office.objects.filter(code=options["office"]).first()
            if office is None:
                raise CommandError(f"Unknown office {options['office']!r}.")
        expires = (timezone.now() + dt.timedelta(days=options["days"])
                   if options["days"] > 0 else None)
        try:
            _token, secret = api_token_create(user=user, name=options["name"],
                                              expires_at=expires,
                                              allowed_networks=options["allow"],
                                              office=office)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(secret)
