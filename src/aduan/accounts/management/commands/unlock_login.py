"""Lift login locks: a username (django-axes), an IP address, or a sprayed password."""

import getpass
from typing import Any

from axes.utils import reset as axes_reset
from django.core.management.base import BaseCommand, CommandError, CommandParser

from aduan.accounts import throttle
from aduan.accounts.models import SecurityEvent, SecurityEventKind, User


class Command(BaseCommand):
    help = "Buka kunci login: --username NAMA, --ip ALAMAT, atau --password (ditanyakan)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username")
        parser.add_argument("--ip")
        parser.add_argument("--password", action="store_true",
                            help="lift the spraying lock of a password (asked, not echoed)")

    def handle(self, *args: Any, username: str | None, ip: str | None, password: bool,
               **options: Any) -> None:
        if not (username or ip or password):
            raise CommandError("Sebutkan --username, --ip atau --password.")
        if username:
            removed = axes_reset(username=username)
            user = User.objects.filter(username=username).first()
            if user is not None:
                SecurityEvent.objects.create(user=user, kind=SecurityEventKind.LOGIN_UNLOCKED,
                                             data={"attempts_removed": removed, "by": "cli"})
            self.stdout.write(f"Kunci akun {username} dibuka ({removed} percobaan dihapus).")
        if ip:
            throttle.login_unblock_ip(ip)
            axes_reset(ip=ip)
            self.stdout.write(f"Kunci alamat {ip} dibuka.")
        if password:
            throttle.login_unblock_password(getpass.getpass("Kata sandi yang dikunci: "))
            self.stdout.write("Kunci kata sandi itu dibuka.")
