"""Test helpers for a regency instance: a central intake and a few offices beside the demo
office (decision 0013), built from rows as an administrator would."""

from __future__ import annotations

from django.contrib.auth.models import Group

from aduan.accounts.models import Role, User
from aduan.accounts.roles import ensure_role_groups
from aduan.offices.models import Channel, ChannelKind, Office, Unit

GOVERNMENT = "PEMERINTAH KABUPATEN BENGKALIS"
PASSWORD = "x-test-pass-123"


def make_office(code: str, name: str, short_name: str, *, authority: str = "",
                is_central_intake: bool = False, channels: bool = True) -> Office:
    office = Office.objects.create(
        code=code, name=name, short_name=short_name, government_name=GOVERNMENT,
        city="Bengkalis", authority=authority, is_central_intake=is_central_intake,
        register_number_pattern=f"{code.upper()}/{{seq}}/{{year}}")
    Unit.objects.create(office=office, code="pengaduan", name="Tim Pengaduan",
                        is_complaint_team=True)
    if channels:
        Channel.objects.create(office=office, code="web", name="Formulir web",
                               kind=ChannelKind.WEB, order=1)
        Channel.objects.create(office=office, code="sms_wa", name="WhatsApp",
                               kind=ChannelKind.WHATSAPP, order=2)
    return office


def central_intake() -> Office:
    return make_office("lapor-bupati", "Layanan Pengaduan Terpadu Kabupaten Bengkalis",
                       "Lapor Bupati", is_central_intake=True)


def regency_offices() -> dict[str, Office]:
    """Disdukcapil, Dinas PUPR and DLH, with their triage authority labels."""
    return {
        "disdukcapil": make_office("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil",
                                   "Disdukcapil", authority="disdukcapil"),
        "pupr": make_office("pupr", "Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas PUPR",
                            authority="pupr"),
        "dlh": make_office("dlh", "Dinas Lingkungan Hidup", "DLH", authority="dlh"),
    }


def staff(office: Office, username: str, role: Role, *, email: str = "") -> User:
    ensure_role_groups()
    user = User.objects.create_user(
        username=username, password=PASSWORD, office=office,
        email=email or f"{username}@contoh.go.id",
        unit=office.units.get(code="pengaduan") if role in (Role.OFFICER, Role.TEAM_LEAD)
        else None)
    user.groups.add(Group.objects.get(name=role.value))
    return User.objects.get(pk=user.pk)
