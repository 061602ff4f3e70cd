"""Factories for the case file; complaints are registered through the real service."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import factory

from aduan.complaints.models import Complaint, Reporter
from aduan.complaints.services import ReporterInput, complaint_register
from aduan.offices.models import Office

JAKARTA = ZoneInfo("Asia/Jakarta")


class ReporterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reporter

    name = factory.Faker("name", locale="id_ID")
    phone = factory.Sequence(lambda n: f"+62812{n:08d}")
    email = factory.Sequence(lambda n: f"pelapor{n}@contoh.id")


def register_complaint(office: Office, *, channel_code: str = "sms_wa",
                       received: dt.datetime | None = None, **kwargs) -> Complaint:
    reporter = kwargs.pop("reporter", None) or ReporterInput(
        name="Siti Aminah", phone="081234567890", email="siti@contoh.id", consent=True)
    return complaint_register(
        office=office,
        channel=office.channels.get(code=channel_code),
        subject=kwargs.pop("subject", "Izin apotek belum selesai"),
        description=kwargs.pop("description", "Sudah 1 bulan izin apotek belum diverifikasi."),
        reporter=reporter,
        received_at=received or dt.datetime(2025, 4, 28, 9, 0, tzinfo=JAKARTA),
        **kwargs,
    )


def make_office(code: str, name: str, *, short_name: str = "", pattern: str = "",
                settle_days: int = 20, authority: str = "") -> Office:
    """Another office of the instance (issue 18), with the demo office's channels, a
    complaint-team unit, one technical unit and one service type (code `umum`)."""
    from aduan.demo.office import CHANNELS
    from aduan.offices.models import Channel, ServiceType, Unit

    office = Office.objects.create(
        code=code, name=name, short_name=short_name or code.upper(),
        government_name="PEMERINTAH KABUPATEN BENGKALIS", city="Bengkalis",
        register_number_pattern=pattern or f"{code.upper()}/{{seq}}/{{year}}",
        settle_days=settle_days, authority=authority)
    Unit.objects.create(office=office, code="pengaduan", name="Tim Pengaduan",
                        is_complaint_team=True)
    unit = Unit.objects.create(office=office, code="teknis", name="Bidang Teknis", order=1)
    for order, (channel_code, channel_name, kind, contact) in enumerate(CHANNELS, start=1):
        Channel.objects.create(office=office, code=channel_code, name=channel_name, kind=kind,
                               contact=contact, order=order)
    ServiceType.objects.create(office=office, code="umum", name="Layanan umum",
                               default_unit=unit)
    return office
