"""One demo user per role (SPEC §1), printed by `make run`."""

from __future__ import annotations

from django.contrib.auth.models import Group

from aduan.accounts.models import Role, User
from aduan.accounts.roles import ensure_role_groups
from aduan.offices.models import Office

DEMO_PASSWORD = "aduan-demo"

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


def load_demo_users(office: Office) -> list[tuple[str, str]]:
    """Create the demo users if missing; returns (username, role label) pairs."""
    ensure_role_groups()
    result = []
    for username, first, last, role, unit_code, title in DEMO_USERS:
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
            user.save()
        user.groups.add(Group.objects.get(name=role.value))
        result.append((username, str(role.label)))
    return result
