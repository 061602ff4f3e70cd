"""Print the current second-factor code of a demo user, for testers without a phone app."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from aduan.accounts.testing import totp_code
from aduan.accounts.twofactor import totp_secret_base32
from aduan.demo.regency import regency_usernames
from aduan.demo.users import DEMO_DEVICE_NAME, DEMO_USERS


class Command(BaseCommand):
    help = "Show a demo user's current authenticator code (demo accounts only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--uri", action="store_true",
                            help="print the otpauth:// URI and the base32 key instead")

    def handle(self, *args: Any, username: str, uri: bool, **options: Any) -> None:
        if username not in {row[0] for row in DEMO_USERS} | regency_usernames():
            raise CommandError(f"{username} bukan akun demo.")
        device = TOTPDevice.objects.filter(user__username=username,
                                           name=DEMO_DEVICE_NAME).first()
        if device is None:
            raise CommandError("Perangkat demo tidak ada; jalankan `manage.py load_demo`.")
        if uri:
            self.stdout.write(device.config_url)
            self.stdout.write(totp_secret_base32(device))
            return
        self.stdout.write(totp_code(device))
