"""One demo user per role (SPEC §1), each with an authenticator (TOTP) device, printed by
`make run` with what a tester needs for the second factor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from aduan.accounts.models import Role, User
from aduan.accounts.policy import demo_mode
from aduan.accounts.roles import ensure_role_groups
from aduan.accounts.twofactor import totp_secret_base32
from aduan.offices.models import Office

# Passes the password rules (12+ characters, not common, no username, no repetition). Outside
# demo mode (ADUAN_DEMO_MODE, which `make run` sets) each demo account must change it first.
DEMO_PASSWORD = "bengkalis-demo-2025"
DEMO_DEVICE_NAME = "Demo"

DEMO_USERS = [
    # username, first name, last name, role, unit code, job title
    ("petugas", "Retno Ayu", "Saraswati", Role.OFFICER, "pengaduan", "Petugas Pengaduan"),
    ("ketua", "Ketua Tim", "Pengaduan", Role.TEAM_LEAD, "pengaduan",
     "Koordinator Substansi Pengaduan, Kebijakan dan Pelaporan Layanan"),
    ("perizinan_a", "Staf", "Perizinan A", Role.UNIT_STAFF, "perizinan-a",
     "JF Penata Perizinan Ahli Madya Perizinan A"),
    ("perizinan_b", "Staf", "Perizinan B", Role.UNIT_STAFF, "perizinan-b",
     "JF Penata Perizinan Bidang Perizinan B"),
    ("kadis", "Muhammad", "Thaib", Role.HEAD, None, "Kepala Dinas"),
    ("admin", "Administrator", "Sistem", Role.ADMINISTRATOR, None, "Administrator"),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    totp_secret: str  # base32, as typed into an authenticator app
    otpauth_uri: str  # the same as a link/QR payload


def demo_totp_device(user: User) -> TOTPDevice:
    """The user's demo authenticator, created once with a random key and then kept."""
    device = TOTPDevice.objects.filter(user=user, name=DEMO_DEVICE_NAME).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, confirmed=True)
    return device


class DemoUser(NamedTuple):
    username: str
    first_name: str
    last_name: str
    role: str  # an accounts.Role value
    unit_code: str | None
    job_title: str


def load_demo_users(office: Office, *, with_devices: bool = True) -> list[DemoLogin]:
    """Create the seed office's demo users (and their authenticator devices) if missing;
    idempotent."""
    return load_demo_user_rows(office, [DemoUser(*row) for row in DEMO_USERS],
                               with_devices=with_devices)


def load_demo_user_rows(office: Office, rows: list[DemoUser], *,
                        with_devices: bool = True) -> list[DemoLogin]:
    """Create demo users of `office` (and their authenticator devices) if missing;
    idempotent."""
    ensure_role_groups()
    result = []
    for username, first, last, role_value, unit_code, title in rows:
        role = Role(role_value)
        user, created = User.objects.get_or_create(username=username, defaults={
            "first_name": first, "last_name": last, "office": office, "job_title": title,
            "unit": office.units.get(code=unit_code) if unit_code else None,
            "email": f"{username}@aduan.localhost",
        })
        if created:
            user.set_password(DEMO_PASSWORD)
            if role == Role.ADMINISTRATOR:
                user.is_staff = True
                user.is_superuser = True
        # The published password must be changed before real use (docs/security.md).
        if demo_mode():
            user.must_change_password = False
        elif created:
            user.must_change_password = True
        user.save()
        user.groups.add(Group.objects.get(name=role.value))
        secret = uri = ""
        if with_devices:
            device = demo_totp_device(user)
            secret, uri = totp_secret_base32(device), device.config_url
        result.append(DemoLogin(username, str(role.label), secret, uri))
    return result
